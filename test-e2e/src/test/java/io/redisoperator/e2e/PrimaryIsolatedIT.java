package io.redisoperator.e2e;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.fault.Link;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: the primary's node is cut off from the API server, its peers and the operator. Its agent fences it
 * (self-fencing); the operator promotes a replica; the isolated old primary refuses writes; after healing it rejoins.
 */
@Tag("chaos")
class PrimaryIsolatedIT extends ScenarioIT {
  @Override
  String scenario() {
    return "primary-isolated-self-fencing";
  }

  @Test
  void isolatedPrimaryFencesItselfAndAReplicaTakesOver() {
    var reason = env.faults().partitionUnavailableReason();
    reason.ifPresent(r -> System.out.println("chaos: scenario=" + scenario() + " skipped: " + r));
    Assumptions.assumeTrue(reason.isEmpty());
    InetSocketAddress oldPrimary = new InetSocketAddress(cluster.podIp(initialPrimary), AgentApi.REDIS_PORT);
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    List<String> problems = new ArrayList<>();
    try (FaultInjector.Partition partition = env.faults().isolate(NAMESPACE, initialPrimary,
        EnumSet.of(Link.CONTROLLER, Link.API_SERVER, Link.PEERS))) {
      // Self-fencing must happen before any promotion is allowed.
      sleep(io.redisoperator.protocol.agent.SelfFencing.promotionSafeAfterMillis());
      problems.addAll(Invariants.refusesWrites(cluster, oldPrimary));
      try {
        cluster.await(c -> c.getStatus() != null && c.getStatus().getCurrentPrimary() != null
            && !initialPrimary.equals(c.getStatus().getCurrentPrimary()), Duration.ofMinutes(2));
      } catch (RuntimeException e) {
        problems.add("no failover while the primary was isolated");
      }
      problems.addAll(Invariants.refusesWrites(cluster, oldPrimary));
    }
    double recovery = awaitRecovery(fault, writer,
        c -> cluster.pods().values().stream().allMatch(PodReadiness::isReady), Duration.ofMinutes(3));
    finish(fault, recovery, writer, problems, false);
  }
}
