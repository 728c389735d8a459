package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.redisoperator.agent.AgentSettings;
import io.redisoperator.agent.sentinel.SentinelAgent;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sentinel mode with spec.tls, on real redis-servers and redis-sentinels: the sentinels serve TLS
 * only, watch the data pods over TLS as the Sentinel user, find each other over TLS, follow an
 * operator failover, and a Sentinel-aware client discovers the primary and writes to it over TLS
 * before and after it.
 */
class SentinelTlsIT {
  private static final String ADMIN_PASSWORD = "sentinel-admin-pw";
  private static final String[] DATA_IPS = {"127.0.23.21", "127.0.23.22"};
  private static final String[] SENTINEL_IPS = {"127.0.23.31", "127.0.23.32"};
  private static final InstanceSettings TLS =
      new InstanceSettings(Map.of("loglevel", "warning"), null, null, true);

  @RegisterExtension final AgentHarness h = new AgentHarness();
  private Path scratch;
  private Path caFile;
  private CertificateAuthority ca;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    scratch = Files.createTempDirectory("sentinel-tls-it");
    ca = CertificateAuthority.create("redis CA", Instant.now(), Duration.ofDays(3650));
    caFile = scratch.resolve("ca.crt");
    Files.writeString(caFile, Pem.encode(List.of(ca.certificate())));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    try (var files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void sentinelsSpeakTlsFollowAFailoverAndClientsDiscoverThePrimaryOverTls() throws Exception {
    AgentHarness.Node a = h.node(0, DATA_IPS[0]);
    AgentHarness.Node b = h.node(1, DATA_IPS[1]);
    for (AgentHarness.Node n : List.of(a, b)) {
      n.settings(TLS);
      n.projectRedisTls(ca, ca.certificate());
      n.clientCa = caFile;
      h.pod(n.podName, n.ip);
    }
    h.clusterStatus(a.podName, List.of());
    a.start();
    b.start();
    a.awaitUp();
    b.awaitUp();
    AgentHarness.await(
        "replica linked over TLS",
        Duration.ofSeconds(15),
        () -> Boolean.TRUE.equals(b.status().masterLinkUp()));

    for (int i = 0; i < SENTINEL_IPS.length; i++) {
      startSentinel(i, SENTINEL_IPS[i]);
    }
    RedisClient sentinelClient = RedisClient.create();
    sentinelClient.setOptions(tlsOptions());
    closing.add(() -> sentinelClient.shutdown(Duration.ZERO, Duration.ofSeconds(1)));
    for (String ip : SENTINEL_IPS) {
      AgentHarness.await(
          "sentinel " + ip + " monitors rc-0 and sees the replica over TLS",
          Duration.ofSeconds(30),
          () -> {
            try (StatefulRedisSentinelConnection<String, String> s =
                sentinelClient.connectSentinel(sentinelUri(ip))) {
              InetSocketAddress master =
                  (InetSocketAddress) s.sync().getMasterAddrByName(AgentHarness.CLUSTER);
              return master != null
                  && DATA_IPS[0].equals(master.getHostString())
                  && s.sync().replicas(AgentHarness.CLUSTER).stream()
                      .anyMatch(r -> DATA_IPS[1].equals(r.get("ip")))
                  && "1".equals(s.sync().master(AgentHarness.CLUSTER).get("num-other-sentinels"));
            }
          });
    }
    try (StatefulRedisSentinelConnection<String, String> s =
        sentinelClient.connectSentinel(sentinelUri(SENTINEL_IPS[0]))) {
      RedisCommandExecutionException refused =
          assertThrows(
              RedisCommandExecutionException.class,
              () -> s.sync().set(AgentHarness.CLUSTER, "quorum", "2"));
      assertTrue(refused.getMessage().startsWith("NOPERM"), refused.getMessage());
    }
    try (RedisConnection plain =
        new RedisConnection(SENTINEL_IPS[0], AgentApi.SENTINEL_PORT, null, "unused", null)) {
      assertFalse(plain.ping(), "no plaintext on the Sentinel port");
    }
    assertEquals("before", writeThroughSentinel("k", "before"));

    // The operator's failover: promote rc-1, repoint rc-0, record it; the sentinels follow.
    b.promote();
    a.replicateFrom(b);
    h.clusterStatus(b.podName, List.of());
    for (String ip : SENTINEL_IPS) {
      AgentHarness.await(
          "sentinel " + ip + " follows the record to rc-1",
          Duration.ofSeconds(30),
          () -> {
            try (StatefulRedisSentinelConnection<String, String> s =
                sentinelClient.connectSentinel(sentinelUri(ip))) {
              InetSocketAddress master =
                  (InetSocketAddress) s.sync().getMasterAddrByName(AgentHarness.CLUSTER);
              return master != null && DATA_IPS[1].equals(master.getHostString());
            }
          });
    }
    assertEquals("after", writeThroughSentinel("k", "after"));
    try (RedisConnection rb = b.redis()) {
      assertEquals("after", rb.sync().get("k"), "the write reached rc-1, the new primary");
    }
  }

  /** A Sentinel-aware client over TLS: asks a sentinel for the primary, then writes there. */
  private String writeThroughSentinel(String key, String value) {
    RedisURI uri =
        RedisURI.Builder.sentinel(SENTINEL_IPS[0], AgentApi.SENTINEL_PORT, AgentHarness.CLUSTER)
            .withSentinel(SENTINEL_IPS[1], AgentApi.SENTINEL_PORT)
            .withSsl(true)
            .withVerifyPeer(SslVerifyMode.CA)
            .withAuthentication("default", AgentHarness.PASSWORD.toCharArray())
            .withTimeout(Duration.ofSeconds(3))
            .build();
    RedisClient client = RedisClient.create();
    client.setOptions(tlsOptions());
    try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
      c.sync().set(key, value);
      return c.sync().get(key);
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
  }

  private ClientOptions tlsOptions() {
    return ClientOptions.builder()
        .sslOptions(SslOptions.builder().jdkSslProvider().trustManager(caFile.toFile()).build())
        .build();
  }

  private static RedisURI sentinelUri(String ip) {
    return RedisURI.builder()
        .withHost(ip)
        .withPort(AgentApi.SENTINEL_PORT)
        .withSsl(true)
        .withVerifyPeer(SslVerifyMode.CA)
        .withTimeout(Duration.ofSeconds(2))
        .build();
  }

  /**
   * A sentinel pod's directories and agent, with Redis' TLS files as the controller mounts them.
   */
  private void startSentinel(int n, String ip) throws Exception {
    String podName = ResourceNames.sentinelPodName(AgentHarness.CLUSTER, n);
    Path base = Files.createDirectories(scratch.resolve(podName));
    Path dataDir = Files.createDirectories(base.resolve("data"));
    Path authDir = Files.createDirectories(base.resolve("auth"));
    Path adminDir = Files.createDirectories(base.resolve("sentinel-auth"));
    Path tlsDir = Files.createDirectories(base.resolve("redis-tls"));
    Files.writeString(
        authDir.resolve(InstanceLayout.SECRET_KEY_PASSWORD), AgentHarness.SENTINEL_PASSWORD);
    Files.writeString(adminDir.resolve(InstanceLayout.SECRET_KEY_PASSWORD), ADMIN_PASSWORD);
    KeyMaterial own =
        ca.issue(
            new CertificateRequest(
                podName,
                List.of(podName),
                List.of(ip),
                CertificateRequest.Usage.SERVER_AND_CLIENT,
                Duration.ofDays(90)),
            Instant.now());
    Files.writeString(tlsDir.resolve(InstanceLayout.SECRET_KEY_TLS_CERT), own.certificatePem());
    Files.writeString(tlsDir.resolve(InstanceLayout.SECRET_KEY_TLS_KEY), own.keyPem());
    Files.writeString(
        tlsDir.resolve(InstanceLayout.SECRET_KEY_CA_CERT), Pem.encode(List.of(ca.certificate())));
    AgentSettings s =
        h.settingsFor(
            podName, ip, AgentHarness.PodDirs.insideData(dataDir, authDir).withRedisTls(tlsDir));
    SentinelAgent agent =
        SentinelAgent.start(
            s,
            new SentinelAgent.Options(
                "redis-sentinel", AgentApi.SENTINEL_PORT, Duration.ofSeconds(60), adminDir, true));
    closing.add(agent);
  }
}
