package org.framecodec.bench.codec;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.framecodec.frames.ImageFiles;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JDK's own alternative: {@code javax.imageio} JPEG encode and decode of the same 1080p
 * frame (standard YCbCr 4:2:0), to compare with {@link JpegEncodeBenchmark} and
 * {@link JpegDecodeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
public class ImageIoJpegBenchmark {
  @Param({"50", "80", "90", "100"})
  public int quality;

  private BufferedImage image;
  private ImageWriter writer;
  private ImageWriteParam param;
  private ByteArrayOutputStream sink;
  private byte[] payload;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    image = ImageFiles.toImage(CodecBenchSupport.frame());
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
