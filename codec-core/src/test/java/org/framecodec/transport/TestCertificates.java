package org.framecodec.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key pairs made for a test run by the JDK's {@code keytool}: a server certificate for 127.0.0.1
 * (subject alternative name {@code ip:127.0.0.1}) and a client certificate, each self-signed and
 * so its own trust anchor; each as PKCS#12, certificate PEM and (the server's) PKCS#8 key PEM.
 */
public final class TestCertificates {
  public static final char[] PASSWORD = "changeit".toCharArray();
  public final Path dir;
  public final Path serverP12;
  public final Path serverCertPem;
  public final Path serverKeyPem;
  public final Path clientP12;
  public final Path clientCertPem;
  public final Path strangerP12;

  private TestCertificates(Path dir) {
    this.dir = dir;
    this.serverP12 = dir.resolve("server.p12");
    this.serverCertPem = dir.resolve("server.pem");
    this.serverKeyPem = dir.resolve("server-key.pem");
    this.clientP12 = dir.resolve("client.p12");
    this.clientCertPem = dir.resolve("client.pem");
    this.strangerP12 = dir.resolve("stranger.p12");
  }

  public static TestCertificates make(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
    TestCertificates c = new TestCertificates(dir);
    c.keypair(c.serverP12, "CN=127.0.0.1", "san=ip:127.0.0.1");
    c.export(c.serverP12, c.serverCertPem);
    c.keypair(c.clientP12, "CN=framecodec test client", null);
    c.export(c.clientP12, c.clientCertPem);
    c.keypair(c.strangerP12, "CN=nobody trusts me", null);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(c.serverP12)) {
      ks.load(in, PASSWORD);
    }
    Key key = ks.getKey("key", PASSWORD);
    Files.writeString(c.serverKeyPem, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
        + "\n-----END PRIVATE KEY-----\n", StandardCharsets.US_ASCII);
    return c;
  }

  private void keypair(Path p12, String dname, String ext) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(keytool(), "-genkeypair", "-alias", "key", "-keyalg",
        "EC", "-groupname", "secp256r1", "-validity", "2", "-dname", dname, "-keystore", p12.toString(),
        "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
    if (ext != null) {
      cmd.addAll(List.of("-ext", ext));
    }
    run(cmd);
  }

  private void export(Path p12, Path pem) throws IOException, InterruptedException {
    run(List.of(keytool(), "-exportcert", "-rfc", "-alias", "key", "-keystore", p12.toString(),
        "-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-file", pem.toString()));
  }

  private static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + cmd + "\n" + out);
    }
  }
}
