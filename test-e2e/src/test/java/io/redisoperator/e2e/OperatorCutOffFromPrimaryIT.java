package io.redisoperator.e2e;

import io.redisoperator.sandbox.fault.Link;
import java.util.EnumSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: the operator cannot reach the primary's agent (iptables) while Redis, the replicas
 * and the API server still can. Whatever the operator decides, there is never a second writable
 * primary.
 */
@Tag("chaos")
class OperatorCutOffFromPrimaryIT extends ScenarioIT {
  @Override
  String scenario() {
    return "operator-cut-off-from-primary";
  }

  @Test
  void neverTwoWritablePrimaries() {
    runPartitionScenario(
        EnumSet.of(Link.CONTROLLER),
        (oldPrimary, problems) -> {
          sleep(15_000);
          String current = cluster.get().getStatus().getCurrentPrimary();
          if (!initialPrimary.equals(current)) {
            problems.addAll(Invariants.refusesWrites(cluster, oldPrimary));
          }
        });
  }
}
