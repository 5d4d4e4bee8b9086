package org.framecodec.codec;

import java.util.Locale;

/** The JPEG engine behind a {@link JpegCodec}. */
public enum CodecBackend {
  /** libjpeg-turbo through FrameCodec's JNI shim, carried in the jar. The default. */
  TURBOJPEG,
  /** bytedeco OpenCV ({@code cvtColor} + {@code imencode}/{@code imdecode}): the Python peer's engine. Needs the optional OpenCV dependency. */
  OPENCV;

  /**
   * Parses {@code turbojpeg} or {@code opencv} (case-insensitive).
   *
   * @param name the name to parse
   * @return the backend
   */
  public static CodecBackend parse(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("unknown backend '" + name + "'; expected turbojpeg or opencv");
    }
  }
}
