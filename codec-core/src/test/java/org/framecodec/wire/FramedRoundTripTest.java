package org.framecodec.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.framecodec.CorpusFrames;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.EncodeOptions;
import org.framecodec.codec.EncodedFrame;
import org.framecodec.codec.JpegCodec;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.frames.Frame;
import org.framecodec.frames.FrameMetrics;
import org.framecodec.frames.Luma;
import org.framecodec.frames.PixelFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole path a frame takes between services: encode on one backend, frame it, detect the
 * framing and read it back, decode on the other backend. Every backend x framing x mode x
 * subsampling on the 1080p photographs must keep its metadata and stay above the PSNR floor a
 * correct codec reaches at quality 85 (a few dB under measured values).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FramedRoundTripTest {
  private JpegCodec turbo;
  private JpegCodec opencv;
  private final WireWriter writer = new WireWriter();
  private final WireReader reader = new WireReader();

  @BeforeAll
  void open() {
    turbo = JpegCodec.open(CodecBackend.TURBOJPEG);
    opencv = JpegCodec.open(CodecBackend.OPENCV);
  }

  @AfterAll
  void close() {
    turbo.close();
    opencv.close();
  }

  static Stream<Arguments> cases() {
    List<EncodeOptions> modes = new ArrayList<>();
    modes.add(EncodeOptions.gray(85));
    for (Subsampling s : Subsampling.values()) {
      modes.add(EncodeOptions.of(JpegMode.CV2_YUV, 85, s));
      modes.add(EncodeOptions.ycbcr(85, s));
    }
    List<Arguments> out = new ArrayList<>();
    for (CodecBackend encoder : CodecBackend.values()) {
      for (Framing framing : Framing.values()) {
        for (EncodeOptions o : modes) {
          out.add(Arguments.of(encoder, framing, o));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void framedPayloadRoundTripsAcrossBackends(CodecBackend encoderBackend, Framing framing,
      EncodeOptions options) {
    JpegCodec encoder = encoderBackend == CodecBackend.TURBOJPEG ? turbo : opencv;
    JpegCodec decoder = encoderBackend == CodecBackend.TURBOJPEG ? opencv : turbo;
    for (String photo : CorpusFrames.PHOTOS) {
      Frame src = CorpusFrames.photo(photo);
      byte[] jpeg = encoder.encode(src, options);
      boolean gray = options.mode() == JpegMode.GRAY;
      EncodedFrame sent = EncodedFrame.builder().payload(jpeg).size(src.width(), src.height())
          .channels(gray ? 1 : 3).mode(options.mode()).quality(options.quality())
          .timestampMicros(1_700_000_000_000_000L).streamId("cam-7").build();
      byte[] body = writer.write(framing, sent);

      // Bare framings carry no mode; the receiver is configured with it, as the peer is.
      WireMessage message = new WireReader(org.framecodec.Limits.defaults(), options.mode()).read(body);
      assertEquals(framing, message.framing());
      EncodedFrame got = message.single();
      assertEquals(options.mode(), got.mode());
      assertEquals(src.width(), got.width());
      assertEquals(src.height(), got.height());
      if (framing == Framing.JSON || framing == Framing.RAW) {
        assertEquals(sent, got, "metadata and payload must survive " + framing);
      }
      Frame decoded = decoder.decode(got.payloadArray(), got.payloadOffset(), got.payloadLength(),
          got.mode(), gray ? PixelFormat.GRAY : PixelFormat.BGR);
      Frame reference = gray ? Luma.of(src) : src;
      double psnr = FrameMetrics.psnr(reference, decoded);
      double floor = floor(photo, options);
      assertTrue(psnr >= floor, photo + " " + options + " via " + framing + ": " + psnr + " dB < " + floor);
    }
    assertEquals(Framing.JSON, reader.read("{\"frames\":[]}".getBytes()).framing());
  }

  private static double floor(String photo, EncodeOptions o) {
    boolean moss = photo.startsWith("moss");
    return switch (o.mode()) {
      case YCBCR -> moss ? 25 : 31;
      case CV2_YUV -> moss ? 21 : 26;
      case GRAY -> moss ? 28 : 36;
    };
  }
}
