package io.redisoperator.protocol.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents one key and its chain, whichever side of a handshake asks. A {@code KeyManagerFactory}
 * over a PKCS#12 {@code KeyStore} does the same, but protects the key with PBKDF2 on the way in and
 * unwraps it on the way out: two times 10,000 SHA-256 rounds per TLS context, which at a thousand
 * clusters (one controller client certificate each) was the largest share of the controller's
 * start-up after the handshakes themselves.
 */
final class OwnKeyManager extends X509ExtendedKeyManager {
  static final String ALIAS = "own";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  OwnKeyManager(KeyMaterial own) {
    this.key = own.key();
    this.chain = own.chain().toArray(X509Certificate[]::new);
  }

  /** Whether a handshake asking for {@code keyType} (e.g. "EC", "RSA", "EC_EC") can use the key. */
  private boolean fits(String keyType) {
    String algorithm = key.getAlgorithm();
    return keyType != null && (keyType.equals(algorithm) || keyType.startsWith(algorithm + "_"));
  }

  private String choose(String[] keyTypes) {
    if (keyTypes != null) {
      for (String type : keyTypes) {
        if (fits(type)) {
          return ALIAS;
        }
      }
    }
    return null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return fits(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
    return choose(keyTypes);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
    return choose(keyTypes);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return fits(keyType) ? ALIAS : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }
}
