package io.redisoperator.e2e;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Scenario 2: redis-server is SIGKILLed inside the primary pod (the agent stays up). */
@Tag("ci")
class RedisServerKilledIT extends ScenarioIT {
  @Override
  String scenario() {
    return "redis-server-killed-in-primary";
  }

  @Test
  void theClusterRecoversWithOneAgreedPrimary() {
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    env.faults().killRedisServer(NAMESPACE, initialPrimary);
    // Give the operator and the agent time to notice before "Healthy" can count as recovered.
    sleep(1000);
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c -> cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    finish(fault, recovery, writer, List.of(), false);
  }
}
