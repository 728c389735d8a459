package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CertificateSealTest {
  private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");

  private final RedisCluster cluster = cluster();
  private final Secret caSecret = ClusterAuthority.AGENT.newSecret(cluster, NOW);
  private final CertificateAuthority ca = ClusterAuthority.read(caSecret).orElseThrow();
  private final Secret issued = AgentCertificates.podSecret(cluster, "seal-0", ca, caSecret, NOW);

  @Test
  void anIssuedSecretCarriesASealOfItsCertificateByItsCa() {
    assertTrue(CertificateSeal.matches(issued, ca, leafOf(issued)));
  }

  @Test
  void aSealMatchesNoOtherCertificateAndNoOtherCa() {
    // Same CA name: only its key tells it apart.
    Secret otherCaSecret = ClusterAuthority.AGENT.newSecret(cluster, NOW);
    CertificateAuthority other = ClusterAuthority.read(otherCaSecret).orElseThrow();
    assertFalse(CertificateSeal.matches(issued, other, leafOf(issued)), "another CA's key");

    Secret sibling = AgentCertificates.podSecret(cluster, "seal-1", ca, caSecret, NOW);
    Secret swapped = withCertificateOf(issued, sibling);
    assertFalse(
        CertificateSeal.matches(swapped, ca, leafOf(swapped)),
        "a certificate put in place of the sealed one, the seal kept");
  }

  @Test
  void aMissingOrMalformedSealMatchesNothing() {
    X509Certificate leaf = leafOf(issued);
    Secret unsealed =
        new SecretBuilder(issued).editMetadata().withAnnotations(null).endMetadata().build();
    assertFalse(CertificateSeal.matches(unsealed, ca, leaf));
    for (String seal : List.of("", "not base64 at all!", "AAAA")) {
      Secret bad =
          new SecretBuilder(issued)
              .editMetadata()
              .withAnnotations(Map.of(Annotations.CERTIFICATE_SEAL, seal))
              .endMetadata()
              .build();
      assertFalse(CertificateSeal.matches(bad, ca, leaf), seal);
    }
  }

  /**
   * A restarted controller remembers nothing: a sealed certificate counts as verified without an
   * ECDSA verification, and the handshake's signature check is then answered from memory.
   */
  @Test
  void aSealedCertificateIsVerifiedWithoutItsSignatureAndAnUnsealedOneByIt() throws Exception {
    VerifiedSignatures restarted = new VerifiedSignatures(10, Duration.ofMinutes(10));
    CountingCertificate sealed = new CountingCertificate(leafOf(issued));
    restarted.verify(
        sealed, ca.certificate(), NOW, () -> CertificateSeal.matches(issued, ca, leafOf(issued)));
    restarted.verifySignature(sealed, ca.certificate());
    assertEquals(0, sealed.verifications.get());

    CountingCertificate unsealed =
        new CountingCertificate(
            leafOf(AgentCertificates.podSecret(cluster, "seal-1", ca, caSecret, NOW)));
    restarted.verify(unsealed, ca.certificate(), NOW, () -> false);
    restarted.verifySignature(unsealed, ca.certificate());
    assertEquals(1, unsealed.verifications.get(), "no seal: the handshake verifies its signature");

    CertificateAuthority impostor = CertificateAuthority.create("x", NOW, Duration.ofDays(1));
    CountingCertificate forged =
        new CountingCertificate(
            leafOf(AgentCertificates.podSecret(cluster, "seal-0", impostor, caSecret, NOW)));
    assertThrows(
        GeneralSecurityException.class,
        () -> restarted.verify(forged, ca.certificate(), NOW, () -> false));
    assertEquals(1, forged.verifications.get(), "no seal: its signature decides");
  }

  private static Secret withCertificateOf(Secret target, Secret source) {
    return new SecretBuilder(target)
        .addToData(
            InstanceLayout.SECRET_KEY_TLS_CERT,
            source.getData().get(InstanceLayout.SECRET_KEY_TLS_CERT))
        .build();
  }

  private static X509Certificate leafOf(Secret secret) {
    return ClusterSecrets.value(secret, InstanceLayout.SECRET_KEY_TLS_CERT)
        .map(CertificateSecrets::parseOrEmpty)
        .orElseThrow()
        .get(0);
  }

  private static RedisCluster cluster() {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName("seal");
    cluster.getMetadata().setNamespace("ns");
    return cluster;
  }
}
