package io.redisoperator.protocol.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * Whether a certificate names a CA as its issuer: its issuer name is the CA's subject, and its
 * authority key identifier is the CA's key identifier (and the CA certificate's serial number when
 * it gives one), as {@link CertificateAuthority#issue} writes them. A few digests and comparisons,
 * where checking the signature is an ECDSA verification; but the identifiers are copied as easily
 * as written, so they only say which CA a certificate claims, never that the CA signed it.
 */
public final class IssuerIdentifiers {
  private IssuerIdentifiers() {}

  /** False also when {@code leaf} has no authority key identifier, or either is unreadable. */
  public static boolean nameAsIssuer(X509Certificate leaf, X509Certificate ca) {
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    byte[] extension = leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    if (extension == null) {
      return false;
    }
    try {
      AuthorityKeyIdentifier claimed =
          AuthorityKeyIdentifier.getInstance(JcaX509ExtensionUtils.parseExtensionValue(extension));
      AuthorityKeyIdentifier actual = new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca);
      BigInteger serial = claimed.getAuthorityCertSerialNumber();
      return claimed.getKeyIdentifier() != null
          && Arrays.equals(claimed.getKeyIdentifier(), actual.getKeyIdentifier())
          && (serial == null || serial.equals(ca.getSerialNumber()));
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }
}
