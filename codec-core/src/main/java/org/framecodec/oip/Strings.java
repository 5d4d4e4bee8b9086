package org.framecodec.oip;

/** Short, printable excerpts of untrusted text for error messages, so a hostile name cannot flood a log. */
final class Strings {
  static final int MAX_EXCERPT = 64;

  private Strings() {}

  static String excerpt(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_EXCERPT) + 3);
    for (int i = 0; i < s.length() && i < MAX_EXCERPT; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > MAX_EXCERPT) {
      b.append("...");
    }
    return b.toString();
  }
}
