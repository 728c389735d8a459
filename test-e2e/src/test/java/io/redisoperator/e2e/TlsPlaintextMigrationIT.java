package io.redisoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.crd.Condition;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.naming.ResourceNames;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The TLS migration mode through the Services: with {@code spec.tls.plaintextPort} a plaintext
 * client (on that port) and a TLS client (on 6379) both work through -leader and see each other's
 * writes, every Service exposes the plaintext port, the client Secret names it and condition
 * PlaintextServed is True. Removing the field closes it live under a TLS writer: the Services and
 * every pod refuse plaintext connections, the client Secret drops the port, PlaintextServed turns
 * False (TlsOnly), while the TLS writer keeps its one connection and no Redis restarts.
 */
@Tag("ci")
class TlsPlaintextMigrationIT extends ScenarioIT {
  private static final int PLAINTEXT_PORT = 6380;
  private static final List<String> SERVICES =
      List.of(
          ResourceNames.leaderService(CLUSTER),
          ResourceNames.replicaService(CLUSTER),
          ResourceNames.anyService(CLUSTER));

  private final RedisClient plaintextClient = RedisClient.create();

  @Override
  String scenario() {
    return "tls-plaintext-migration";
  }

  @Override
  void customize(RedisClusterSpec spec) {
    TlsSpec tls = new TlsSpec();
    tls.setPlaintextPort(PLAINTEXT_PORT);
    spec.setTls(tls);
  }

  @AfterAll
  void closePlaintextClient() {
    plaintextClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Test
  void plaintextServedBesideTlsUntilThePortIsRemovedLive() {
    List<String> problems = new ArrayList<>();
    InetSocketAddress leaderTls = cluster.leader();
    InetSocketAddress leaderPlain = leaderPlaintext();

    // Migration mode: both served through the Service, and said so.
    if (!ScenarioIT.pollUntil(
        () ->
            plaintextCondition()
                .map(c -> c.getReason() == ConditionReason.TLS_MIGRATION)
                .orElse(false),
        Duration.ofSeconds(30))) {
      problems.add("PlaintextServed is not True/TlsMigration: " + plaintextCondition());
    }
    for (String service : SERVICES) {
      if (!exposesPlaintext(service)) {
        problems.add(service + " does not expose port " + PLAINTEXT_PORT);
      }
    }
    if (!Integer.toString(PLAINTEXT_PORT).equals(clientSecretPlaintextPort())) {
      problems.add("client Secret plaintext-port=" + clientSecretPlaintextPort());
    }
    try (StatefulRedisConnection<String, String> plain = connectPlaintext(leaderPlain);
        StatefulRedisConnection<String, String> tls = cluster.connect(leaderTls)) {
      plain.sync().set("migration:plain", "p");
      tls.sync().set("migration:tls", "t");
      if (!"p".equals(tls.sync().get("migration:plain"))
          || !"t".equals(plain.sync().get("migration:tls"))) {
        problems.add("the plaintext and the TLS client do not see each other's writes");
      }
    } catch (RuntimeException e) {
      problems.add("plaintext and TLS through -leader: " + e);
    }
    if (answersPlaintext(leaderTls)) {
      problems.add("port " + AgentApi.REDIS_PORT + " answered plaintext");
    }

    // Removing the port: closed live under a TLS writer that keeps its connection.
    Map<String, String> runIds = runIds();
    Map<String, String> uids = new LinkedHashMap<>();
    cluster.pods().forEach((name, pod) -> uids.put(name, pod.getMetadata().getUid()));
    ContinuousWriter writer = new ContinuousWriter(cluster, "tls:").start();
    if (!ScenarioIT.pollUntil(() -> writer.ackedCount() >= 20, Duration.ofSeconds(30))) {
      problems.add("the TLS writer got no acknowledged writes: " + writer.lastError());
    }
    long change = System.nanoTime();
    cluster
        .client()
        .resources(RedisCluster.class)
        .inNamespace(NAMESPACE)
        .withName(CLUSTER)
        .edit(
            c -> {
              c.getSpec().getTls().setPlaintextPort(null);
              return c;
            });
    List<String> notClosed =
        Invariants.eventually(Duration.ofMinutes(2), () -> plaintextStillServed(leaderPlain));
    double closedAfter = (System.nanoTime() - change) / 1e9;
    problems.addAll(notClosed);
    long closed = System.nanoTime();
    if (!ScenarioIT.pollUntil(() -> writer.ackedSince(closed), Duration.ofSeconds(10))) {
      problems.add("the TLS writer stopped after the port closed: " + writer.lastError());
    }
    long gap = writer.maxGapMillisSince(change);
    writer.close();
    if (writer.connections() != 1) {
      problems.add(
          "the TLS writer needed "
              + writer.connections()
              + " connections (last error: "
              + writer.lastError()
              + ")");
    }
    if (!runIds.equals(runIds())) {
      problems.add("a Redis restarted: run_ids " + runIds + " became " + runIds());
    }
    cluster
        .pods()
        .forEach(
            (name, pod) -> {
              if (!pod.getMetadata().getUid().equals(uids.get(name))) {
                problems.add(name + " was replaced");
              }
            });
    long lost = Invariants.missingKeys(cluster, writer.acked());
    if (lost > 0) {
      problems.add(lost + " acknowledged TLS writes lost");
    }
    if (Invariants.missingKeys(cluster, Map.of("migration:plain", "p")) > 0) {
      problems.add("the plaintext client's write is gone");
    }
    ScenarioReport report =
        new ScenarioReport(
            scenario(), problems.isEmpty(), gap, lost, closedAfter, String.join("; ", problems));
    report.publish();
    assertTrue(problems.isEmpty(), report.line() + " (logs: " + env.logsLocation() + ")");
  }

  /** What still serves or announces plaintext (empty once the port is closed everywhere). */
  private List<String> plaintextStillServed(InetSocketAddress leaderPlain) {
    List<String> problems = new ArrayList<>();
    Optional<Condition> condition = plaintextCondition();
    if (condition.isEmpty()
        || condition.get().getStatus() != ConditionStatus.FALSE
        || condition.get().getReason() != ConditionReason.TLS_ONLY) {
      problems.add("PlaintextServed is " + condition);
    }
    for (String service : SERVICES) {
      if (exposesPlaintext(service)) {
        problems.add(service + " still exposes port " + PLAINTEXT_PORT);
      }
    }
    if (!refused(leaderPlain)) {
      problems.add("-leader port " + PLAINTEXT_PORT + " did not refuse the connection");
    }
    for (String pod : cluster.pods().keySet()) {
      if (!refused(env.podAddress(cluster.podIp(pod), PLAINTEXT_PORT))) {
        problems.add(pod + " port " + PLAINTEXT_PORT + " did not refuse the connection");
      }
    }
    if (clientSecretPlaintextPort() != null) {
      problems.add("the client Secret still says plaintext-port=" + clientSecretPlaintextPort());
    }
    return problems;
  }

  private InetSocketAddress leaderPlaintext() {
    return env.serviceAddress(NAMESPACE, ResourceNames.leaderService(CLUSTER), PLAINTEXT_PORT);
  }

  private Optional<Condition> plaintextCondition() {
    RedisCluster c = cluster.get();
    return c.getStatus() == null
        ? Optional.empty()
        : Conditions.find(c.getStatus().getConditions(), ConditionType.PLAINTEXT_SERVED);
  }

  private boolean exposesPlaintext(String service) {
    Service svc = cluster.client().services().inNamespace(NAMESPACE).withName(service).get();
    return svc != null
        && svc.getSpec().getPorts().stream()
            .anyMatch(
                p ->
                    p.getPort() == PLAINTEXT_PORT
                        && AgentApi.PORT_NAME_REDIS_PLAINTEXT.equals(p.getName()));
  }

  private String clientSecretPlaintextPort() {
    Secret secret =
        cluster
            .client()
            .secrets()
            .inNamespace(NAMESPACE)
            .withName(ResourceNames.tlsClientSecret(CLUSTER))
            .get();
    String encoded = secret == null ? null : secret.getData().get("plaintext-port");
    return encoded == null ? null : new String(java.util.Base64.getDecoder().decode(encoded));
  }

  /** Each data pod's Redis run_id, asked over TLS (a restarted Redis has a new one). */
  private Map<String, String> runIds() {
    Map<String, String> ids = new LinkedHashMap<>();
    for (String pod : cluster.pods().keySet()) {
      try (StatefulRedisConnection<String, String> c = cluster.connectToPod(pod)) {
        ids.put(pod, RedisClusterFixture.parseInfo(c.sync().info("server")).get("run_id"));
      } catch (RuntimeException e) {
        ids.put(pod, "unreachable: " + e.getMessage());
      }
    }
    return ids;
  }

  private StatefulRedisConnection<String, String> connectPlaintext(InetSocketAddress address) {
    plaintextClient.setOptions(
        ClientOptions.builder()
            .autoReconnect(false)
            .timeoutOptions(TimeoutOptions.enabled(RedisClusterFixture.COMMAND_TIMEOUT))
            .build());
    return plaintextClient.connect(
        RedisURI.builder()
            .withHost(address.getHostString())
            .withPort(address.getPort())
            .withAuthentication("default", cluster.password().toCharArray())
            .withTimeout(RedisClusterFixture.COMMAND_TIMEOUT)
            .build());
  }

  private boolean answersPlaintext(InetSocketAddress address) {
    try (StatefulRedisConnection<String, String> c = connectPlaintext(address)) {
      return "PONG".equals(c.sync().ping());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A plaintext connection attempt is refused (nothing listens), not merely failing later. */
  private boolean refused(InetSocketAddress address) {
    try (StatefulRedisConnection<String, String> c = connectPlaintext(address)) {
      return false;
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConnectException) {
          return true;
        }
      }
      return false;
    }
  }
}
