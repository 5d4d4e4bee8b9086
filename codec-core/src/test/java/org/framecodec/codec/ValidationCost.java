package org.framecodec.codec;

import org.framecodec.CorpusFrames;
import org.framecodec.frames.Frame;
import org.framecodec.frames.PixelFormat;

/**
 * A measuring program, not a test: what the OpenCV backend's libjpeg-turbo validation costs next
 * to a TurboJPEG decode, and what the marker walk costs, on a 1080p photograph as a baseline and as
 * a progressive payload. Prints per-call means of 20 calls, three rounds. Run (after
 * {@code mvn -pl codec-core test-compile}):
 *
 * <pre>
 * java -cp codec-core/target/test-classes:codec-core/target/classes:DEPENDENCIES org.framecodec.codec.ValidationCost
 * </pre>
 */
public final class ValidationCost {
  private ValidationCost() {}

  public static void main(String[] args) {
    Frame photo = CorpusFrames.photo("moss-1080p.png");
    try (TurboJpegCodec turbo = new TurboJpegCodec(); OpenCvJpegCodec opencv = new OpenCvJpegCodec()) {
      byte[] baseline = turbo.encode(photo, EncodeOptions.ycbcr(80, Subsampling.S420));
      byte[] progressive = HostileJpegs.progressive(photo);
      for (byte[] jpeg : new byte[][] {baseline, progressive}) {
        ByteRegion r = ByteRegion.of(jpeg, 0, jpeg.length);
        Frame dst = Frame.allocate(PixelFormat.BGR, photo.width(), photo.height());
        for (int round = 0; round < 3; round++) {
          long validate = 0;
          long decode = 0;
          long walk = 0;
          long cv = 0;
          int n = 20;
          for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            turbo.validate(r);
            long t1 = System.nanoTime();
            turbo.decodeInto(jpeg, 0, jpeg.length, JpegMode.YCBCR, dst);
            long t2 = System.nanoTime();
            JpegScanCounter.walk(r);
            long t3 = System.nanoTime();
            opencv.decodeInto(jpeg, 0, jpeg.length, JpegMode.YCBCR, dst);
            long t4 = System.nanoTime();
            validate += t1 - t0;
            decode += t2 - t1;
            walk += t3 - t2;
            cv += t4 - t3;
          }
          System.out.printf("%s %d B: validate %.2f ms, turbojpeg decode %.2f ms, marker walk %.3f ms,"
              + " opencv decode (with validation and walk) %.2f ms%n", jpeg == baseline ? "baseline" : "progressive",
              jpeg.length, validate / 1e6 / n, decode / 1e6 / n, walk / 1e6 / n, cv / 1e6 / n);
        }
      }
    }
  }
}
