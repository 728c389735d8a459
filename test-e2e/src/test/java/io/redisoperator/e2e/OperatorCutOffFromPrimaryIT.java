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
 * Scenario 3: the operator cannot reach the primary's agent (iptables) while Redis, the replicas and the API server
 * still can. Whatever the operator decides, there is never a second writable primary.
 */
@Tag("chaos")
class OperatorCutOffFromPrimaryIT extends ScenarioIT {
  @Override
  String scenario() {
    return "operator-cut-off-from-primary";
  }

  @Test
  void neverTwoWritablePrimaries() {
    var reason = env.faults().partitionUnavailableReason();
    reason.ifPresent(r -> System.out.println("chaos: scenario=" + scenario() + " skipped: " + r));
    Assumptions.assumeTrue(reason.isEmpty());
    InetSocketAddress oldPrimary = new InetSocketAddress(cluster.podIp(initialPrimary), AgentApi.REDIS_PORT);
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    List<String> problems = new ArrayList<>();
    try (FaultInjector.Partition partition =
        env.faults().isolate(NAMESPACE, initialPrimary, EnumSet.of(Link.CONTROLLER))) {
      sleep(15_000);
      String current = cluster.get().getStatus().getCurrentPrimary();
      if (!initialPrimary.equals(current)) {
        problems.addAll(Invariants.refusesWrites(cluster, oldPrimary));
      }
    }
    double recovery = awaitRecovery(fault, writer,
        c -> cluster.pods().values().stream().allMatch(PodReadiness::isReady), Duration.ofMinutes(3));
    finish(fault, recovery, writer, problems, false);
  }
}
