package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The TLS migration mode (spec.tls.plaintextPort) on a real redis-server: TLS on the usual port and
 * plaintext on the migration port together; the plaintext port closes live when the setting goes
 * (no restart, TLS clients unaffected) and opens live again.
 */
class TlsMigrationIT {
  private static final int PLAINTEXT_PORT = 6390;
  @RegisterExtension final AgentHarness h = new AgentHarness();
  private Path caFile;

  @BeforeEach
  void setUp() throws Exception {
    caFile = Files.createTempFile("tls-migration-ca", ".crt");
  }

  @AfterEach
  void tearDown() throws Exception {
    Files.deleteIfExists(caFile);
  }

  private static InstanceSettings tls(Integer plaintextPort) {
    return new InstanceSettings(Map.of("loglevel", "warning"), null, null, true, plaintextPort);
  }

  private static boolean plaintextServed(AgentHarness.Node n) {
    try (RedisConnection plain =
        new RedisConnection(n.ip, PLAINTEXT_PORT, null, AgentHarness.PASSWORD, null)) {
      return plain.ping();
    }
  }

  @Test
  void servesBothInTheMigrationModeAndClosesThePlaintextPortLive() throws Exception {
    CertificateAuthority ca =
        CertificateAuthority.create("redis CA", Instant.now(), Duration.ofDays(3650));
    Files.writeString(caFile, Pem.encode(List.of(ca.certificate())));
    AgentHarness.Node a = h.node(0, "127.0.23.11");
    a.settings(tls(PLAINTEXT_PORT));
    a.projectRedisTls(ca, ca.certificate());
    a.clientCa = caFile;
    h.pod("rc-0", a.ip);
    h.clusterStatus("rc-0", List.of());
    a.start();
    a.awaitUp();

    try (RedisConnection secure = a.redis()) {
      assertNull(secure.trySet("k", "over TLS"));
    }
    assertTrue(plaintextServed(a), "plaintext on the migration port");
    try (RedisConnection plain =
        new RedisConnection(a.ip, PLAINTEXT_PORT, null, AgentHarness.PASSWORD, null)) {
      assertEquals("over TLS", plain.sync().get("k"), "the same Redis");
    }
    try (RedisConnection plainOnTlsPort = new RedisConnection(a.ip, AgentHarness.PASSWORD, null)) {
      assertFalse(plainOnTlsPort.ping(), "the usual port speaks TLS only");
    }
    long pid = a.redisPid();

    a.settings(tls(null));
    AgentHarness.await(
        "the plaintext port closes", Duration.ofSeconds(10), () -> !plaintextServed(a));
    assertEquals(pid, a.redisPid(), "closed live, no restart");
    try (RedisConnection secure = a.redis()) {
      assertEquals("over TLS", secure.sync().get("k"), "TLS clients are unaffected");
    }

    a.settings(tls(PLAINTEXT_PORT));
    AgentHarness.await(
        "the plaintext port opens again", Duration.ofSeconds(10), () -> plaintextServed(a));
    assertEquals(pid, a.redisPid(), "opened live, no restart");
  }
}
