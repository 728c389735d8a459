package io.redisoperator.protocol.tls;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text as Kubernetes TLS Secrets hold it ({@code tls.crt}, {@code tls.key}, {@code ca.crt}),
 * with the JDK only so the agent reads what the controller writes without any provider. Keys are
 * PKCS#8 ({@code BEGIN PRIVATE KEY}).
 */
public final class Pem {
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final List<String> KEY_ALGORITHMS = List.of("EC", "RSA", "Ed25519");

  private Pem() {}

  /** Every certificate of a PEM bundle, in order; fails when there is none. */
  public static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (var c :
          factory.generateCertificates(
              new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new CertificateException("no certificate in the PEM text");
      }
      return out;
    } catch (RuntimeException e) {
      throw new CertificateException("not a PEM certificate bundle: " + e.getMessage(), e);
    }
  }

  /** The PKCS#8 private key of a PEM text (EC, RSA or Ed25519). */
  public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
    Matcher m = PRIVATE_KEY.matcher(pem);
    if (!m.find()) {
      throw new GeneralSecurityException("no PKCS#8 'PRIVATE KEY' block in the PEM text");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1).trim());
    GeneralSecurityException last = null;
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw new GeneralSecurityException("unsupported private key: " + last.getMessage(), last);
  }

  public static String encode(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate c : certificates) {
      try {
        out.append(block("CERTIFICATE", c.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalArgumentException("cannot encode " + c.getSubjectX500Principal(), e);
      }
    }
    return out.toString();
  }

  public static String encode(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
