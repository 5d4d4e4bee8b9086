/**
 * Live stream in, annotated stream out: read video from files and network sources (RTMP, RTSP,
 * HLS, HTTP-FLV, MPEG-TS) with FFmpeg, detect objects in every frame with a shared, batched
 * detector (in process or over HTTP), draw the boxes on the frame that was analysed, and write
 * H.264 to a file or an RTMP/HLS server with the source's audio passed through, plus a JSON Lines
 * sidecar of the detections.
 *
 * <p>{@link org.framecodec.stream.StreamPipeline} runs it; {@link
 * org.framecodec.stream.SourceOptions} and {@link org.framecodec.stream.SinkOptions} say where
 * streams come from and go; {@link org.framecodec.stream.PipelineOptions} chooses live or file
 * behaviour ({@link org.framecodec.stream.ProcessingMode}), the payload and batching; {@link
 * org.framecodec.stream.StreamDetector} is the detector; {@link
 * org.framecodec.stream.PipelineStats} reports fps, drops, glass-to-glass latency and per-stage
 * times while it runs.
 *
 * <p>Needs the optional dependencies {@code org.bytedeco:ffmpeg-platform} (FFmpeg 8 through
 * JavaCPP, the preset JavaCV is built on) and {@code org.bytedeco:opencv-platform} (drawing and
 * the detector). The FFmpeg C API is used directly rather than JavaCV's {@code
 * FFmpegFrameRecorder}, because passing audio packets through untouched beside re-encoded video
 * needs one muxer fed by an encoder and by copied packets, which that recorder does not offer
 * (it either encodes every stream or copies every stream).
 */
package org.framecodec.stream;
