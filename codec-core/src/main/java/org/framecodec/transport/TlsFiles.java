package org.framecodec.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads TLS key material with the JDK alone, for both ends of the transport: a key pair from a
 * PKCS#12 file or from PEM files (certificate chain plus an unencrypted PKCS#8 private key,
 * {@code -----BEGIN PRIVATE KEY-----}, RSA or EC; convert a PKCS#1 {@code BEGIN RSA PRIVATE KEY}
 * with {@code openssl pkcs8 -topk8 -nocrypt}), and trusted certificates from a PEM file.
 *
 * <p>Stateless; every method reads its files once and returns new objects.
 */
public final class TlsFiles {
  private static final char[] NO_PASSWORD = new char[0];

  private TlsFiles() {}

  /**
   * Key managers for the key pair in a PKCS#12 file.
   *
   * @param file the PKCS#12 file
   * @param password its password (and the key's)
   * @return the key managers
   * @throws IOException when the file cannot be read or holds no usable key pair
   */
  public static KeyManagerFactory keyManagersFromPkcs12(Path file, char[] password) throws IOException {
    Objects.requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      return kmf;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the PKCS#12 key pair in " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Key managers for a PEM certificate chain and its PEM PKCS#8 private key.
   *
   * @param certificateChain PEM certificates, leaf first
   * @param privateKey the unencrypted PKCS#8 PEM key of the leaf
   * @return the key managers
   * @throws IOException when a file cannot be read or the key does not fit
   */
  public static KeyManagerFactory keyManagersFromPem(Path certificateChain, Path privateKey) throws IOException {
    List<Certificate> chain = certificates(certificateChain);
    if (chain.isEmpty()) {
      throw new IOException(certificateChain + " holds no PEM certificate");
    }
    PrivateKey key = privateKey(privateKey);
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("key", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, NO_PASSWORD);
      return kmf;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the key in " + privateKey + " with the certificates in "
          + certificateChain + ": " + e.getMessage(), e);
    }
  }

  /**
   * Trust managers that trust the PEM certificates in a file (CAs, or self-signed peers).
   *
   * @param file the PEM file
   * @return the trust managers
   * @throws IOException when the file cannot be read or holds no certificate
   */
  public static TrustManagerFactory trustManagersFromPem(Path file) throws IOException {
    List<Certificate> certs = certificates(file);
    if (certs.isEmpty()) {
      throw new IOException(file + " holds no PEM certificate");
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      for (int i = 0; i < certs.size(); i++) {
        ks.setCertificateEntry("trusted-" + i, certs.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return tmf;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot trust the certificates in " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * A client {@link SSLContext} (TLS 1.2 and 1.3).
   *
   * @param trusted what server certificates must chain to
   * @param clientKeys the key pair to present to servers that ask for one (mutual TLS), or null
   * @return the context
   */
  public static SSLContext clientContext(TrustManagerFactory trusted, KeyManagerFactory clientKeys) {
    Objects.requireNonNull(trusted, "trusted");
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(clientKeys == null ? null : clientKeys.getKeyManagers(), trusted.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
    }
  }

  private static List<Certificate> certificates(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends Certificate> c = CertificateFactory.getInstance("X.509").generateCertificates(in);
      return new ArrayList<>(c);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read PEM certificates from " + file + ": " + e.getMessage(), e);
    }
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    String pem = Files.readString(Objects.requireNonNull(file, "privateKey"), StandardCharsets.US_ASCII);
    String begin = "-----BEGIN PRIVATE KEY-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf("-----END PRIVATE KEY-----");
    if (from < 0 || to < from) {
      throw new IOException(file + " holds no unencrypted PKCS#8 key (-----BEGIN PRIVATE KEY-----);"
          + " convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException(file + " holds a PKCS#8 key that is not RSA, EC or Ed25519");
  }
}
