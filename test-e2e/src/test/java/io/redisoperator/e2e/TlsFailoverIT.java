package io.redisoperator.e2e;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.TlsSpec;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A cluster with operator-issued TLS: redis-server is SIGKILLed in the primary under a writer that
 * connects through the -leader Service over TLS (trusting the CA from the cluster's client Secret);
 * the writer reconnects to the new primary over TLS, and the Service offers no plaintext.
 */
@Tag("ci")
class TlsFailoverIT extends ScenarioIT {
  @Override
  String scenario() {
    return "tls";
  }

  @Override
  void customize(RedisClusterSpec spec) {
    spec.setTls(new TlsSpec());
  }

  @Test
  void aTlsClusterFailsOverAndClientsReconnectOverTls() {
    List<String> problems = new ArrayList<>();
    if (!cluster.tls()) {
      problems.add("the cluster's client Secret gave no CA");
    }
    if (plaintextAnswers(cluster.leader())) {
      problems.add("the -leader Service answered plaintext");
    }
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    env.faults().killRedisServer(NAMESPACE, initialPrimary);
    sleep(1000);
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c -> cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    finish(fault, recovery, writer, problems, false);
  }

  private boolean plaintextAnswers(InetSocketAddress address) {
    RedisClient plain = RedisClient.create();
    try (var c =
        plain.connect(
            RedisURI.builder()
                .withHost(address.getHostString())
                .withPort(address.getPort())
                .withAuthentication("default", cluster.password().toCharArray())
                .withTimeout(Duration.ofSeconds(2))
                .build())) {
      return "PONG".equals(c.sync().ping());
    } catch (RuntimeException e) {
      return false;
    } finally {
      plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
