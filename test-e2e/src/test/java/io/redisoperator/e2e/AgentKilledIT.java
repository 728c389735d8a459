package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The primary's agent is SIGKILLed under a writer while its redis-server runs. The container
 * runtime tears the container down (its main process exited) and restarts it; the controller sees
 * the agent's port refuse connections with the pod still there, which it takes as proof of death,
 * and fails over. Whatever the timing, the old primary may take no write once another node does,
 * and the restarted agent brings the instance back (fenced, then a replica).
 */
@Tag("chaos")
class AgentKilledIT extends ScenarioIT {
  @Override
  String scenario() {
    return "agent-killed";
  }

  @Test
  void noTwoPrimariesAndTheRestartedAgentRejoins() {
    SplitBrainProbes probes = new SplitBrainProbes(env, cluster, initialPrimary);
    int restartsBefore = restarts(cluster.pods().get(initialPrimary));
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    env.faults().killAgent(NAMESPACE, initialPrimary);
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c ->
                cluster.pods().size() == INSTANCES
                    && cluster.pods().values().stream().allMatch(PodReadiness::isReady)
                    && restarts(cluster.pods().get(initialPrimary)) > restartsBefore,
            Duration.ofMinutes(3));
    List<String> problems = new ArrayList<>();
    probes.stopAndCheck(problems, false);
    long newWritable = probes.newFirstAckNanos();
    String primaryAfter = cluster.get().getStatus().getCurrentPrimary();
    System.out.println(
        "chaos-detail: scenario="
            + scenario()
            + " failed_over="
            + !initialPrimary.equals(primaryAfter)
            + " old_last_ack_after_fault_ms="
            + (probes.oldLastAckNanos() - fault) / 1_000_000
            + " new_first_ack_after_fault_ms="
            + (newWritable == Long.MAX_VALUE ? -1 : (newWritable - fault) / 1_000_000));
    // The runtime kills Redis with its agent: writes it acknowledged and had not replicated yet are
    // a crash's loss.
    finish(fault, recovery, writer, problems, false);
  }

  private static int restarts(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .mapToInt(ContainerStatus::getRestartCount)
        .sum();
  }
}
