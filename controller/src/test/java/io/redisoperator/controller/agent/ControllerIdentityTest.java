package io.redisoperator.controller.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.resources.ClusterAuthority;
import io.redisoperator.protocol.crd.RedisCluster;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ControllerIdentityTest {
  private static final Instant NOW = Instant.parse("2026-12-06T05:00:00Z");

  /**
   * A restart certified the controller once per cluster, each time with a new key pair; one key
   * under every cluster's CA saves the key generation, and each certificate still chains to its own
   * cluster's CA only.
   */
  @Test
  void everyClusterCertifiesTheControllersOneKeyUnderItsOwnCa() throws Exception {
    ControllerKey key = new ControllerKey();
    Secret caA = caSecret("a");
    Secret caB = caSecret("b");
    X509Certificate forA =
        new ControllerIdentity(key).credentials(caA, NOW).orElseThrow().controller().leaf();
    X509Certificate forB =
        new ControllerIdentity(key).credentials(caB, NOW).orElseThrow().controller().leaf();

    assertEquals(forA.getPublicKey(), forB.getPublicKey());
    X509Certificate authorityA = ClusterAuthority.trusted(caA).get(0);
    X509Certificate authorityB = ClusterAuthority.trusted(caB).get(0);
    forA.verify(authorityA.getPublicKey());
    forB.verify(authorityB.getPublicKey());
    assertThrows(GeneralSecurityException.class, () -> forA.verify(authorityB.getPublicKey()));
  }

  /** The key lives no longer than a per-cluster key did: until a certificate's renewal point. */
  @Test
  void theKeyIsReplacedAtTheRenewalPointAndRenewedCertificatesCarryTheNewOne() {
    ControllerKey key = new ControllerKey();
    assertSame(key.current(NOW), key.current(NOW.plus(ControllerKey.ROTATION).minusSeconds(1)));
    assertNotEquals(key.current(NOW), key.current(NOW.plus(ControllerKey.ROTATION)));

    ControllerKey fresh = new ControllerKey();
    ControllerIdentity identity = new ControllerIdentity(fresh);
    Secret ca = caSecret("a");
    AgentCredentials first = identity.credentials(ca, NOW).orElseThrow();
    AgentCredentials renewed = identity.credentials(ca, first.renewAt()).orElseThrow();
    assertNotEquals(
        first.controller().leaf().getPublicKey(), renewed.controller().leaf().getPublicKey());
    assertEquals(
        fresh.current(first.renewAt()).getPublic(), renewed.controller().leaf().getPublicKey());
  }

  private static Secret caSecret(String cluster) {
    RedisCluster owner = new RedisCluster();
    owner.setMetadata(new ObjectMeta());
    owner.getMetadata().setName(cluster);
    owner.getMetadata().setNamespace("ns");
    owner.getMetadata().setUid("uid-" + cluster);
    Secret secret = ClusterAuthority.AGENT.newSecret(owner, NOW);
    secret.getMetadata().setResourceVersion("1");
    return secret;
  }
}
