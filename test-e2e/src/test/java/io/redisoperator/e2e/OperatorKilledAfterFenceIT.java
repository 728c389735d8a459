package io.redisoperator.e2e;

import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.sandbox.fault.Link;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: the operator is killed right after it fenced the primary (status.fencedInstances or
 * targetPrimary recorded), restarted, and resumes from the API server to finish the failover.
 */
@Tag("chaos")
class OperatorKilledAfterFenceIT extends ScenarioIT {
  @Override
  String scenario() {
    return "operator-killed-after-fence";
  }

  @Test
  void aRestartedOperatorFinishesTheFailover() {
    runPartitionScenario(
        EnumSet.of(Link.CONTROLLER, Link.API_SERVER, Link.PEERS),
        (oldPrimary, problems) -> {
          try {
            cluster.await(this::failoverStarted, Duration.ofMinutes(2));
            env.faults().killController();
          } catch (RuntimeException e) {
            problems.add("the operator never recorded a fence or a target primary");
            env.faults().killController();
          }
          sleep(3000);
          env.faults().startController();
          try {
            cluster.await(
                c -> !initialPrimary.equals(c.getStatus().getCurrentPrimary()),
                Duration.ofMinutes(2));
          } catch (RuntimeException e) {
            problems.add("the restarted operator did not finish the failover");
          }
          // Still partitioned: the old primary, seen by a client the partition does not cut, must
          // refuse writes.
          problems.addAll(Invariants.refusesWrites(cluster, oldPrimary));
        });
  }

  private boolean failoverStarted(RedisCluster c) {
    var status = c.getStatus();
    return status != null
        && (status.getFencedInstances().contains(initialPrimary)
            || status.getTargetPrimary() != null
                && !initialPrimary.equals(status.getTargetPrimary()));
  }
}
