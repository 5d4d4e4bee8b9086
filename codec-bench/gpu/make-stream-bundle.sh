#!/usr/bin/env bash
# Builds gpu-stream/ (git-ignored) at the repository root: what the stream benchmark needs on the
# GPU machine beyond gpu-bundle/ (make-bundle.sh), which has no FFmpeg. The GPU machine has no
# ffmpeg either, so the clips are made here and carried.
#
#   ffmpeg-natives.tar.xz  FFmpeg 8 natives (bytedeco linux-x86_64) cut to what the stream package
#                          loads: avformat, avcodec (with libopenh264), avutil, swscale,
#                          swresample, their JNI libraries, libva/libdrm (avutil links them)
#   lib/ffmpeg.jar         the FFmpeg preset's classes
#   clips/                 H.264 + AAC test clips (testsrc2 + sine), made by the ffmpeg program
#                          that ships in the same natives: 1080p50 and 720p25, SECONDS long
#
# Two carries, because both bundles and the tree do not fit the device tool's 64 MiB at once:
#   1. carry ["gpu-bundle"] (built by make-bundle.sh from a tree that has the stream package) and
#      run anything (e.g. true) so it lands on the machine;
#   2. carry ["gpu-stream"] and run codec-bench/gpu/run-stream-on-gpu.sh while the machine is
#      still warm (ignored folders from call 1 stay there).
#   make-stream-bundle.sh [SECONDS]   (default 10)
set -euo pipefail
seconds=${1:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=$root/gpu-stream
m2=${M2_REPO:-$HOME/.m2/repository}
ff=8.0.1-1.5.13
if [[ ! -f codec-bench/target/codec-bench.jar ]]; then
  mvn -B -q package -DskipTests
fi
rm -rf "$out" && mkdir -p "$out/lib" "$out/clips"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$m2/org/bytedeco/ffmpeg/$ff/ffmpeg-$ff.jar" "$out/lib/ffmpeg.jar"
d=org/bytedeco/ffmpeg/linux-x86_64
(cd "$work" && unzip -q "$m2/org/bytedeco/ffmpeg/$ff/ffmpeg-$ff-linux-x86_64.jar" \
  "$d/libavcodec.so.62" "$d/libavformat.so.62" "$d/libavutil.so.60" "$d/libswscale.so.9" \
  "$d/libswresample.so.6" "$d/libjniavcodec.so" "$d/libjniavformat.so" "$d/libjniavutil.so" \
  "$d/libjniswscale.so" "$d/libjniswresample.so" "$d/libva.so.2" "$d/libva-drm.so.2" "$d/libdrm.so.2")
tar cJf "$out/ffmpeg-natives.tar.xz" -C "$work" org

# The clips: the bundled ffmpeg program (no system ffmpeg needed), libopenh264 at about 0.07 bit
# per pixel, AAC sine tone, a key frame every 2 s.
ffbin=$(java -cp codec-bench/target/codec-bench.jar org.framecodec.bench.stream.StreamTools ffmpeg-path)
for spec in 1920x1080:50 1280x720:25; do
  size=${spec%%:*}; rate=${spec##*:}; w=${size%%x*}; h=${size##*x}
  bitrate=$(( w * h * rate * 7 / 100 ))
  "$ffbin" -y -v error -nostdin -f lavfi -i "testsrc2=size=$size:rate=$rate" \
    -f lavfi -i sine=frequency=440:sample_rate=48000 -t "$seconds" -c:v libopenh264 -b:v "$bitrate" \
    -g $((2 * rate)) -c:a aac -b:a 96k "$out/clips/${h}p${rate}.mp4"
done
du -sh "$out" "$out"/* "$out"/clips/*
