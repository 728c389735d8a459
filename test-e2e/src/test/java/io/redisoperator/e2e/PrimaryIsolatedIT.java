package io.redisoperator.e2e;

import io.redisoperator.protocol.agent.SelfFencing;
import io.redisoperator.sandbox.fault.Link;
import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: the primary's node is cut off from the API server, its peers and the operator. Its
 * agent fences it (self-fencing); the operator promotes a replica; the isolated old primary refuses
 * writes; after healing it rejoins.
 */
@Tag("chaos")
class PrimaryIsolatedIT extends ScenarioIT {
  @Override
  String scenario() {
    return "primary-isolated-self-fencing";
  }

  @Test
  void isolatedPrimaryFencesItselfAndAReplicaTakesOver() {
    runPartitionScenario(
        EnumSet.of(Link.CONTROLLER, Link.API_SERVER, Link.PEERS),
        (oldPrimary, problems) -> {
          // Self-fencing must happen before any promotion is allowed.
          sleep(SelfFencing.promotionSafeAfterMillis());
          problems.addAll(Invariants.refusesWrites(cluster, oldPrimary));
          try {
            cluster.await(
                c ->
                    c.getStatus() != null
                        && c.getStatus().getCurrentPrimary() != null
                        && !initialPrimary.equals(c.getStatus().getCurrentPrimary()),
                Duration.ofMinutes(2));
          } catch (RuntimeException e) {
            problems.add("no failover while the primary was isolated");
          }
          problems.addAll(Invariants.refusesWrites(cluster, oldPrimary));
        });
  }
}
