package io.redisoperator.controller.resources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.Pem;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredAgentCertificatesTest {
  private static final Instant NOW = Instant.now();

  private final CertificateAuthority ca =
      CertificateAuthority.create("a", NOW, Duration.ofDays(10));
  // Same CA name: only its key and signatures tell it apart.
  private final CertificateAuthority other =
      CertificateAuthority.create("a", NOW, Duration.ofDays(10));
  private final VerifiedSignatures verified = new VerifiedSignatures(100, Duration.ofMinutes(10));
  private final StoredAgentCertificates stored =
      new StoredAgentCertificates(100, verified::verifySignature);

  private static X509Certificate issue(CertificateAuthority ca, String pod) {
    return ca.issue(
            CertificateRequest.server(pod, AgentTls.podNames(pod, "ns"), Duration.ofDays(1)), NOW)
        .leaf();
  }

  @Test
  void aCertificateIsHeldOnlyForItsPodUnderItsCa() {
    X509Certificate leaf = issue(ca, "c-0");
    stored.store(ca.certificate(), "c-0", leaf);

    assertTrue(stored.holds(ca.certificate(), "c-0", leaf));
    assertFalse(stored.holds(ca.certificate(), "c-1", leaf), "another pod's");
    assertFalse(stored.holds(other.certificate(), "c-0", leaf), "under another CA");
    assertFalse(stored.holds(ca.certificate(), "c-0", issue(ca, "c-0")), "another of the pod's");
  }

  @Test
  void theSameCertificateParsedAgainIsHeld() throws Exception {
    X509Certificate leaf = issue(ca, "c-0");
    stored.store(ca.certificate(), "c-0", leaf);
    // As a handshake hands it over: parsed from the agent's bytes.
    X509Certificate presented = Pem.certificates(Pem.encode(List.of(leaf))).get(0);
    assertNotSame(leaf, presented);
    assertTrue(stored.holds(ca.certificate(), "c-0", presented));
  }

  @Test
  void aNewCertificateForThePodReplacesTheOld() {
    X509Certificate old = issue(ca, "c-0");
    X509Certificate renewed = issue(ca, "c-0");
    stored.store(ca.certificate(), "c-0", old);
    stored.store(ca.certificate(), "c-0", renewed);
    assertFalse(stored.holds(ca.certificate(), "c-0", old));
    assertTrue(stored.holds(ca.certificate(), "c-0", renewed));
  }

  /** A Secret changed behind the controller's back: stored, yet its CA never signed it. */
  @Test
  void aCertificateItsCaDidNotSignIsNotHeldThoughStored() {
    X509Certificate forged = issue(other, "c-0");
    stored.store(ca.certificate(), "c-0", forged);
    assertFalse(stored.holds(ca.certificate(), "c-0", forged));
    assertEquals(0, verified.size(), "and nothing is remembered as verified");
  }

  @Test
  void bounded() {
    StoredAgentCertificates small = new StoredAgentCertificates(2, verified::verifySignature);
    for (int i = 0; i < 5; i++) {
      small.store(ca.certificate(), "c-" + i, issue(ca, "c-" + i));
    }
    assertEquals(2, small.size());
  }

  @Test
  void theControllerStoresWhatItIssuesAndWhatAPassFindsCurrent() {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName("stored");
    cluster.getMetadata().setNamespace("ns");
    Secret caSecret = ClusterAuthority.AGENT.newSecret(cluster, NOW);
    CertificateAuthority authority = ClusterAuthority.read(caSecret).orElseThrow();
    X509Certificate caCertificate = authority.certificate();

    Secret first = AgentCertificates.podSecret(cluster, "stored-0", authority, caSecret, NOW);
    assertTrue(AgentCertificates.stored().holds(caCertificate, "stored-0", leafOf(first)));

    // Issued again (the write lost, say): the new one is stored, the Secret still holds the first.
    Secret second = AgentCertificates.podSecret(cluster, "stored-0", authority, caSecret, NOW);
    assertFalse(AgentCertificates.stored().holds(caCertificate, "stored-0", leafOf(first)));

    // The next pass finds the first current in the Secret: that is what the agent presents.
    assertTrue(
        AgentCertificates.reissueReason(first, "stored-0", authority, caSecret, NOW).isEmpty());
    assertTrue(AgentCertificates.stored().holds(caCertificate, "stored-0", leafOf(first)));
    assertFalse(AgentCertificates.stored().holds(caCertificate, "stored-0", leafOf(second)));

    // A Secret signed by another CA is issued again, never stored.
    Secret foreign = AgentCertificates.podSecret(cluster, "stored-1", other, caSecret, NOW);
    assertTrue(
        AgentCertificates.reissueReason(foreign, "stored-1", authority, caSecret, NOW).isPresent());
    assertFalse(AgentCertificates.stored().holds(caCertificate, "stored-1", leafOf(foreign)));
  }

  private static X509Certificate leafOf(Secret secret) {
    return ClusterSecrets.value(secret, InstanceLayout.SECRET_KEY_TLS_CERT)
        .map(CertificateSecrets::parseOrEmpty)
        .orElseThrow()
        .get(0);
  }
}
