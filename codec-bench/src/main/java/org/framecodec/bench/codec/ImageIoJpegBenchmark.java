package org.framecodec.bench.codec;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.framecodec.frames.ImageFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JDK's own alternative: {@code javax.imageio} JPEG encode and decode of the same 1080p
 * frame (standard YCbCr 4:2:0), to compare with {@link JpegEncodeBenchmark} and
 * {@link JpegDecodeBenchmark}.
 */
public class ImageIoJpegBenchmark extends CodecBenchmark {
  @Param({"50", "80", "90", "100"})
  public int quality;

  private BufferedImage image;
  private ImageWriter writer;
  private ImageWriteParam param;
  private ByteArrayOutputStream sink;
  private byte[] payload;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    image = ImageFiles.toImage(frame());
    writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality / 100f);
    sink = new ByteArrayOutputStream(1 << 20);
    payload = encode().toByteArray();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    writer.dispose();
  }

  @Benchmark
  public ByteArrayOutputStream encode() throws IOException {
    sink.reset();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(sink)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    }
    return sink;
  }

  @Benchmark
  public BufferedImage decode() throws IOException {
    return ImageIO.read(new ByteArrayInputStream(payload));
  }
}
