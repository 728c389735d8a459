package io.redisoperator.protocol.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority whose key the operator holds: it creates itself (self-signed) and issues
 * server and client certificates. Keys are EC P-256; certificates are built with Bouncy Castle and
 * signed by the JDK's own provider.
 */
public final class CertificateAuthority {
  /**
   * Issued certificates start a little in the past so a peer whose clock runs behind still accepts
   * them.
   */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyMaterial material;

  private CertificateAuthority(KeyMaterial material) {
    this.material = material;
  }

  /** A new self-signed CA valid {@code validity} from {@code now}. */
  public static CertificateAuthority create(String commonName, Instant now, Duration validity) {
    try {
      KeyPair pair = newKeyPair();
      X500Name subject = name(commonName);
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              subject,
              serial(),
              Date.from(now.minus(BACKDATE)),
              Date.from(now.plus(validity)),
              subject,
              pair.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate certificate = sign(builder, pair.getPrivate());
      return new CertificateAuthority(new KeyMaterial(pair.getPrivate(), List.of(certificate)));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot create a certificate authority: " + e.getMessage(), e);
    }
  }

  /** The CA a Secret holds. */
  public static CertificateAuthority fromPem(String certificatePem, String keyPem)
      throws GeneralSecurityException {
    KeyMaterial material = KeyMaterial.fromPem(certificatePem, keyPem);
    if (material.leaf().getBasicConstraints() < 0) {
      throw new GeneralSecurityException(
          material.leaf().getSubjectX500Principal() + " is not a CA certificate");
    }
    return new CertificateAuthority(material);
  }

  public X509Certificate certificate() {
    return material.leaf();
  }

  public KeyMaterial material() {
    return material;
  }

  /**
   * A new key and a certificate for it, signed by this CA, valid {@code request.validity()} from
   * {@code now}.
   */
  public KeyMaterial issue(CertificateRequest request, Instant now) {
    try {
      return issue(request, newKeyPair(), now);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot issue a certificate for " + request.commonName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A certificate for the key {@code pair}, signed by this CA, valid {@code request.validity()}
   * from {@code now}: for a holder that presents one key under several CAs (the controller, see
   * {@code ControllerKey}).
   */
  public KeyMaterial issue(CertificateRequest request, KeyPair pair, Instant now) {
    try {
      Instant notAfter = now.plus(request.validity());
      if (notAfter.isAfter(certificate().getNotAfter().toInstant())) {
        notAfter = certificate().getNotAfter().toInstant(); // never outlive the issuer
      }
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              certificate(),
              serial(),
              Date.from(now.minus(BACKDATE)),
              Date.from(notAfter),
              name(request.commonName()),
              pair.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(
          Extension.keyUsage,
          true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      builder.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes(request.usage())));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          extensions.createSubjectKeyIdentifier(pair.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          extensions.createAuthorityKeyIdentifier(certificate()));
      List<GeneralName> names = new ArrayList<>();
      request.dnsNames().forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
      request.ipAddresses().forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
      if (!names.isEmpty()) {
        builder.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      return new KeyMaterial(pair.getPrivate(), List.of(sign(builder, material.key())));
    } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
      throw new IllegalStateException(
          "cannot issue a certificate for " + request.commonName() + ": " + e.getMessage(), e);
    }
  }

  private static KeyPurposeId[] purposes(CertificateRequest.Usage usage) {
    return switch (usage) {
      case SERVER -> new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth};
      case CLIENT -> new KeyPurposeId[] {KeyPurposeId.id_kp_clientAuth};
      case SERVER_AND_CLIENT ->
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth};
    };
  }

  private static X509Certificate sign(
      X509v3CertificateBuilder builder, java.security.PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(key)));
  }

  /** A new EC P-256 key pair, as every certificate this class issues gets one. */
  public static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }
}
