package org.framecodec.bench;

import java.util.Locale;
import java.util.function.Function;
import org.framecodec.codec.CodecBackend;
import org.framecodec.codec.JpegMode;
import org.framecodec.codec.Subsampling;
import org.framecodec.detect.DnnDevice;
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

  /** {@code cv2-yuv}, {@code ycbcr} or {@code gray}. */
  static final class Mode implements ITypeConverter<JpegMode> {
    @Override
    public JpegMode convert(String value) {
      return parse(value, JpegMode::fromWireName);
    }
  }

  /** {@code 444}, {@code 422} or {@code 420}. */
  static final class Sampling implements ITypeConverter<Subsampling> {
    @Override
    public Subsampling convert(String value) {
      return parse(value, Subsampling::parse);
    }
  }

  /** {@code turbojpeg} or {@code opencv}. */
  static final class Backend implements ITypeConverter<CodecBackend> {
    @Override
    public CodecBackend convert(String value) {
      return parse(value, CodecBackend::parse);
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
  static final class Device implements ITypeConverter<DnnDevice> {
    @Override
    public DnnDevice convert(String value) {
      return parse(value, DnnDevice::parse);
    }
  }

  private static <T> T parse(String value, Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
