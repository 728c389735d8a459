package io.redisoperator.protocol.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key and its certificate chain (leaf first), as one {@code tls.key}/{@code tls.crt}
 * pair.
 */
public record KeyMaterial(PrivateKey key, List<X509Certificate> chain) {
  public KeyMaterial {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("a key needs its certificate");
    }
  }

  public static KeyMaterial fromPem(String certificatePem, String keyPem)
      throws GeneralSecurityException {
    return new KeyMaterial(Pem.privateKey(keyPem), Pem.certificates(certificatePem));
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  public String certificatePem() {
    return Pem.encode(chain);
  }

  public String keyPem() {
    return Pem.encode(key);
  }

  @Override
  public String toString() {
    return "KeyMaterial["
        + leaf().getSubjectX500Principal()
        + ", until "
        + leaf().getNotAfter().toInstant()
        + "]";
  }
}
