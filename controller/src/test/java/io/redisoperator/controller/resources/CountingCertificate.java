package io.redisoperator.controller.resources;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Principal;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A certificate that counts how often its encoding is read (what hashing or comparing it costs) and
 * may claim another certificate's hash, to force a collision; everything else is {@code real}'s.
 */
final class CountingCertificate extends X509Certificate {
  private final X509Certificate real;
  private final Integer claimedHash;
  final AtomicInteger encodingsRead = new AtomicInteger();
  final AtomicInteger verifications = new AtomicInteger();

  CountingCertificate(X509Certificate real) {
    this(real, null);
  }

  CountingCertificate(X509Certificate real, Integer claimedHash) {
    this.real = real;
    this.claimedHash = claimedHash;
  }

  @Override
  public int hashCode() {
    return claimedHash != null ? claimedHash : super.hashCode();
  }

  @Override
  public byte[] getEncoded() throws CertificateEncodingException {
    encodingsRead.incrementAndGet();
    return real.getEncoded();
  }

  @Override
  public void verify(PublicKey key)
      throws CertificateException,
          NoSuchAlgorithmException,
          InvalidKeyException,
          NoSuchProviderException,
          SignatureException {
    verifications.incrementAndGet();
    real.verify(key);
  }

  @Override
  public void verify(PublicKey key, String provider)
      throws CertificateException,
          NoSuchAlgorithmException,
          InvalidKeyException,
          NoSuchProviderException,
          SignatureException {
    real.verify(key, provider);
  }

  @Override
  public PublicKey getPublicKey() {
    return real.getPublicKey();
  }

  @Override
  public String toString() {
    return "counting " + real;
  }

  @Override
  public void checkValidity()
      throws java.security.cert.CertificateExpiredException,
          java.security.cert.CertificateNotYetValidException {
    real.checkValidity();
  }

  @Override
  public void checkValidity(Date date)
      throws java.security.cert.CertificateExpiredException,
          java.security.cert.CertificateNotYetValidException {
    real.checkValidity(date);
  }

  @Override
  public int getVersion() {
    return real.getVersion();
  }

  @Override
  public BigInteger getSerialNumber() {
    return real.getSerialNumber();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Principal getIssuerDN() {
    return real.getIssuerDN();
  }

  @Override
  @SuppressWarnings("deprecation")
  public Principal getSubjectDN() {
    return real.getSubjectDN();
  }

  @Override
  public Date getNotBefore() {
    return real.getNotBefore();
  }

  @Override
  public Date getNotAfter() {
    return real.getNotAfter();
  }

  @Override
  public byte[] getTBSCertificate() throws CertificateEncodingException {
    return real.getTBSCertificate();
  }

  @Override
  public byte[] getSignature() {
    return real.getSignature();
  }

  @Override
  public String getSigAlgName() {
    return real.getSigAlgName();
  }

  @Override
  public String getSigAlgOID() {
    return real.getSigAlgOID();
  }

  @Override
  public byte[] getSigAlgParams() {
    return real.getSigAlgParams();
  }

  @Override
  public boolean[] getIssuerUniqueID() {
    return real.getIssuerUniqueID();
  }

  @Override
  public boolean[] getSubjectUniqueID() {
    return real.getSubjectUniqueID();
  }

  @Override
  public boolean[] getKeyUsage() {
    return real.getKeyUsage();
  }

  @Override
  public int getBasicConstraints() {
    return real.getBasicConstraints();
  }

  @Override
  public boolean hasUnsupportedCriticalExtension() {
    return real.hasUnsupportedCriticalExtension();
  }

  @Override
  public Set<String> getCriticalExtensionOIDs() {
    return real.getCriticalExtensionOIDs();
  }

  @Override
  public Set<String> getNonCriticalExtensionOIDs() {
    return real.getNonCriticalExtensionOIDs();
  }

  @Override
  public javax.security.auth.x500.X500Principal getIssuerX500Principal() {
    return real.getIssuerX500Principal();
  }

  @Override
  public javax.security.auth.x500.X500Principal getSubjectX500Principal() {
    return real.getSubjectX500Principal();
  }

  @Override
  public byte[] getExtensionValue(String oid) {
    return real.getExtensionValue(oid);
  }
}
