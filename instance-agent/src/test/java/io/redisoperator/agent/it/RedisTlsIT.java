package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis over TLS under real agents (certificates from a Bouncy Castle CA made here): replication
 * over TLS, no plaintext port, and rotation of the server certificate and of the CA without
 * restarting Redis or dropping replication.
 */
class RedisTlsIT {
  private static final InstanceSettings TLS =
      new InstanceSettings(Map.of("loglevel", "warning"), null, null, true);
  @RegisterExtension final AgentHarness h = new AgentHarness();
  private Path scratch;

  @BeforeEach
  void setUp() throws IOException {
    scratch = Files.createTempDirectory("redis-tls-it");
  }

  @AfterEach
  void tearDown() throws IOException {
    try (var files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void replicatesOverTlsRefusesPlaintextAndRotatesLive() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.create("redis CA", Instant.now(), Duration.ofDays(3650));
    Path oldCa = pem("old-ca.crt", ca.certificate());
    AgentHarness.Node a = h.node(0, "127.0.10.51");
    AgentHarness.Node b = h.node(1, "127.0.10.52");
    for (AgentHarness.Node n : List.of(a, b)) {
      n.settings(TLS);
      n.projectRedisTls(ca, ca.certificate());
      n.clientCa = oldCa;
    }
    h.pod("rc-0", a.ip);
    h.pod("rc-1", b.ip);
    h.clusterStatus("rc-0", List.of());
    a.start();
    b.start();
    a.awaitUp();
    b.awaitUp();
    AgentHarness.await(
        "replica linked over TLS",
        Duration.ofSeconds(15),
        () -> Boolean.TRUE.equals(b.status().masterLinkUp()));

    try (RedisConnection ra = a.redis();
        RedisConnection rb = b.redis()) {
      assertNull(ra.trySet("k", "v"));
      AgentHarness.await(
          "key replicated over TLS", Duration.ofSeconds(5), () -> "v".equals(rb.sync().get("k")));
    }
    try (RedisConnection plain = new RedisConnection(a.ip, AgentHarness.PASSWORD, null)) {
      assertFalse(plain.ping(), "no plaintext port");
    }

    long pidA = a.redisPid();
    long pidB = b.redisPid();
    String fullSyncs;
    try (RedisConnection ra = a.redis()) {
      fullSyncs = ra.info("stats").get("sync_full");
    }
    // A new CA: each pod gets a certificate from it and trusts both while clients move over.
    CertificateAuthority next =
        CertificateAuthority.create("redis CA 2", Instant.now(), Duration.ofDays(3650));
    Path newCa = pem("new-ca.crt", next.certificate());
    for (AgentHarness.Node n : List.of(a, b)) {
      n.projectRedisTls(next, next.certificate(), ca.certificate());
    }
    for (AgentHarness.Node n : List.of(a, b)) {
      try (RedisConnection c = n.redisTls(newCa)) {
        AgentHarness.await(
            n.podName + " serves the new certificate", Duration.ofSeconds(10), c::ping);
      }
      try (RedisConnection c = n.redisTls(oldCa)) {
        assertFalse(c.ping(), n.podName + " no longer serves the old CA's certificate");
      }
    }
    a.clientCa = newCa;
    b.clientCa = newCa;
    assertEquals(pidA, a.redisPid(), "no restart");
    assertEquals(pidB, b.redisPid(), "no restart");
    assertTrue(Boolean.TRUE.equals(b.status().masterLinkUp()), "replication stayed up");
    try (RedisConnection ra = a.redis();
        RedisConnection rb = b.redis()) {
      assertNull(ra.trySet("after", "rotation"));
      AgentHarness.await(
          "a write after the rotation replicates",
          Duration.ofSeconds(5),
          () -> "rotation".equals(rb.sync().get("after")));
      assertEquals(
          fullSyncs, ra.info("stats").get("sync_full"), "the replica never had to resynchronize");
    }
  }

  private Path pem(String name, X509Certificate... certificates) throws IOException {
    Path file = scratch.resolve(name);
    Files.writeString(file, Pem.encode(List.of(certificates)));
    return file;
  }
}
