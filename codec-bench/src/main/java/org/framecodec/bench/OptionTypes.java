package org.framecodec.bench;

import java.util.Locale;
import java.util.function.Function;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.detect.DnnDevice;
import org.framecodec.detect.GpuDecode;
import org.framecodec.wire.Framing;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converters for the library's option values, by their wire and command-line names
 * ({@code cv2-yuv}, {@code 420}, {@code turbojpeg}, ...). A bad value becomes a usage error
 * (exit 2) carrying the library's own message, which names the accepted values. Stateless.
 */
final class OptionTypes {
  private OptionTypes() {}

  /** A converter by the library's own parser, whose rejection message names the accepted values. */
  private abstract static class ByLibrary<T> implements ITypeConverter<T> {
    private final Function<String, T> parser;

    ByLibrary(Function<String, T> parser) {
      this.parser = parser;
    }

    @Override
    public T convert(String value) {
      try {
        return parser.apply(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code cv2-yuv}, {@code ycbcr} or {@code gray}. */
  static final class Mode extends ByLibrary<JpegMode> {
    Mode() {
      super(JpegMode::fromWireName);
    }
  }

  /** {@code 444}, {@code 422} or {@code 420}. */
  static final class Sampling extends ByLibrary<Subsampling> {
    Sampling() {
      super(Subsampling::parse);
    }
  }

  /** {@code turbojpeg} or {@code opencv}. */
  static final class Backend extends ByLibrary<CodecBackend> {
    Backend() {
      super(CodecBackend::parse);
    }
  }

  /** {@code json}, {@code base64}, {@code raw} or {@code jpeg}. */
  static final class WireFraming implements ITypeConverter<Framing> {
    @Override
    public Framing convert(String value) {
      try {
        return Framing.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("unknown framing '" + value + "'; expected json, base64, raw or jpeg");
      }
    }
  }

  /** {@code auto}, {@code cpu}, {@code cuda} or {@code cuda_fp16}. */
  static final class Device extends ByLibrary<DnnDevice> {
    Device() {
      super(DnnDevice::parse);
    }
  }

  /** {@code auto}, {@code off}, {@code hardware}, {@code gpu-hybrid} or {@code hybrid}. */
  static final class GpuDecoding implements ITypeConverter<GpuDecode> {
    @Override
    public GpuDecode convert(String value) {
      try {
        return GpuDecode.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("unknown GPU decode '" + value
            + "'; expected auto, off, hardware, gpu-hybrid or hybrid");
      }
    }
  }
}
