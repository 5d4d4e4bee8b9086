package org.framecodec.transport;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for an {@link InferenceServer}: its key pair and, optionally, the certificates that client
 * certificates must chain to (mutual TLS: a client without a trusted certificate fails the
 * handshake and never reaches HTTP). TLS 1.2 and 1.3 through the JDK's provider; files are read
 * with {@link TlsFiles}.
 *
 * <p>Immutable and thread-safe.
 */
public final class TlsOptions {
  private final KeyManagerFactory keys;
  private final TrustManagerFactory clientCas;

  private TlsOptions(KeyManagerFactory keys, TrustManagerFactory clientCas) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clientCas = clientCas;
  }

  /**
   * The server's key pair from PEM files.
   *
   * @param certificateChain PEM certificates, leaf first
   * @param privateKey the leaf's unencrypted PKCS#8 PEM key
   * @return TLS without client certificates
   * @throws IOException when a file cannot be read or the key does not fit
   */
  public static TlsOptions fromPem(Path certificateChain, Path privateKey) throws IOException {
    return new TlsOptions(TlsFiles.keyManagersFromPem(certificateChain, privateKey), null);
  }

  /**
   * The server's key pair from a PKCS#12 file.
   *
   * @param file the PKCS#12 file
   * @param password its password
   * @return TLS without client certificates
   * @throws IOException when the file cannot be read or holds no usable key pair
   */
  public static TlsOptions fromPkcs12(Path file, char[] password) throws IOException {
    return new TlsOptions(TlsFiles.keyManagersFromPkcs12(file, password), null);
  }

  /**
   * The server's key pair from key managers the caller built.
   *
   * @param keys the key managers
   * @return TLS without client certificates
   */
  public static TlsOptions of(KeyManagerFactory keys) {
    return new TlsOptions(keys, null);
  }

  /**
   * The same, also requiring every client to present a certificate that these trust.
   *
   * @param clientCas what client certificates must chain to
   * @return new options
   */
  public TlsOptions requireClientCertificates(TrustManagerFactory clientCas) {
    return new TlsOptions(keys, Objects.requireNonNull(clientCas, "clientCas"));
  }

  /**
   * The same, requiring client certificates that chain to the PEM certificates in a file.
   *
   * @param caFile the PEM file of trusted CAs (or self-signed client certificates)
   * @return new options
   * @throws IOException when the file cannot be read or holds no certificate
   */
  public TlsOptions requireClientCertificates(Path caFile) throws IOException {
    return requireClientCertificates(TlsFiles.trustManagersFromPem(caFile));
  }

  /** {@return the server's key managers, for a server beside the receiver (the gRPC port) to use the same key pair} */
  public KeyManagerFactory keyManagers() {
    return keys;
  }

  /** {@return what client certificates must chain to, or null when none are asked for} */
  public TrustManagerFactory clientCertificateAuthorities() {
    return clientCas;
  }

  /** {@return whether clients must present a certificate} */
  public boolean clientCertificatesRequired() {
    return clientCas != null;
  }

  SslContext nettyContext() throws SSLException {
    SslContextBuilder b = SslContextBuilder.forServer(keys).sslProvider(SslProvider.JDK)
        .protocols("TLSv1.3", "TLSv1.2");
    if (clientCas != null) {
      b.trustManager(clientCas).clientAuth(ClientAuth.REQUIRE);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "TlsOptions{clientCertificates=" + (clientCas != null ? "required" : "not asked") + "}";
  }
}
