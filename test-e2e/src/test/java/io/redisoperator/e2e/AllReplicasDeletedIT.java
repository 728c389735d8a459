package io.redisoperator.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6: every replica pod is deleted at once; the primary keeps serving writes and stays
 * primary.
 */
@Tag("chaos")
class AllReplicasDeletedIT extends ScenarioIT {
  private static final long MAX_GAP_MILLIS = 3000;

  @Override
  String scenario() {
    return "all-replicas-deleted";
  }

  @Test
  void thePrimaryKeepsServing() {
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    List<String> replicas =
        cluster.pods().keySet().stream().filter(p -> !p.equals(initialPrimary)).toList();
    long fault = System.nanoTime();
    replicas.forEach(p -> cluster.client().pods().inNamespace(NAMESPACE).withName(p).delete());
    sleep(3000);
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c ->
                cluster.pods().size() == INSTANCES
                    && cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    List<String> problems = new ArrayList<>();
    long gap = writer.maxGapMillisSince(fault);
    if (gap > MAX_GAP_MILLIS) {
      problems.add("writes stalled " + gap + " ms while the replicas were gone");
    }
    String current = cluster.get().getStatus().getCurrentPrimary();
    if (!initialPrimary.equals(current)) {
      problems.add("primary changed from " + initialPrimary + " to " + current);
    }
    finish(fault, recovery, writer, problems, true);
  }
}
