package org.framecodec.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A shared secret for HTTP bearer-token authentication ({@code Authorization: Bearer <token>},
 * RFC 6750): what an {@link InferenceServer} requires and an {@link InferenceClient} sends.
 *
 * <p>The secret is never logged: {@link #toString()} shows only its length. The server compares
 * in constant time: both sides are hashed with SHA-256 and the digests compared with
 * {@link MessageDigest#isEqual}, so neither the content nor the length of the expected token
 * shows in the time a wrong guess takes. Read it from an environment variable or a file (a
 * command line shows in {@code ps}). Leading and trailing whitespace (a file's final newline) is
 * dropped; a token must be printable ASCII without spaces, as RFC 6750's {@code b64token}.
 *
 * <p>Immutable and thread-safe.
 */
public final class BearerToken {
  private final String token;
  private final byte[] digest;

  private BearerToken(String token) {
    String t = Objects.requireNonNull(token, "token").strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("bearer token is empty");
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c <= ' ' || c > '~') {
        throw new IllegalArgumentException("bearer token has a character that is not printable ASCII"
            + " at index " + i + " (the token itself is not shown)");
      }
    }
    this.token = t;
    this.digest = sha256(t);
  }

  /**
   * A token given as a string.
   *
   * @param token the token; surrounding whitespace is dropped
   * @return the token
   * @throws IllegalArgumentException when it is empty or not printable ASCII
   */
  public static BearerToken of(String token) {
    return new BearerToken(token);
  }

  /**
   * The token in an environment variable.
   *
   * @param name the variable's name
   * @return the token
   * @throws IllegalArgumentException when the variable is not set, empty or not printable ASCII
   */
  public static BearerToken fromEnv(String name) {
    String v = System.getenv(Objects.requireNonNull(name, "name"));
    if (v == null) {
      throw new IllegalArgumentException("environment variable " + name + " is not set");
    }
    return new BearerToken(v);
  }

  /**
   * The token in a file: its first line, surrounding whitespace dropped.
   *
   * @param file the file
   * @return the token
   * @throws IOException when the file cannot be read
   */
  public static BearerToken fromFile(Path file) throws IOException {
    String content = Files.readString(Objects.requireNonNull(file, "file"), StandardCharsets.US_ASCII);
    int nl = content.indexOf('\n');
    return new BearerToken(nl < 0 ? content : content.substring(0, nl));
  }

  /** {@return the value of an {@code Authorization} header carrying this token} */
  public String headerValue() {
    return "Bearer " + token;
  }

  /**
   * Whether an {@code Authorization} header value carries this token, in time that does not
   * depend on how much of it matches.
   *
   * @param authorization the header's value; {@code null} (no header) never matches
   * @return true when it is {@code Bearer} and this token
   */
  public boolean matches(String authorization) {
    if (authorization == null || authorization.length() < 7
        || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "BearerToken[" + token.length() + " characters, hidden]";
  }
}
