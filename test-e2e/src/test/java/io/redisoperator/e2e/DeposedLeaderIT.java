package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.sandbox.operator.ControllerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two controller processes contend for the lease, as the chart's two replicas do. The leader is
 * frozen (SIGSTOP) past its lease; the standby takes the lease and moves the primary (a switchover,
 * which loses no acknowledged write). The deposed leader is resumed (SIGCONT) with its stale view
 * of the cluster, in which the old primary still is the primary and now answers as a replica: it
 * must change nothing (it finds itself deposed and exits; whatever it still sends carries its old
 * lease epoch, which the agents refuse), so the cluster keeps the successor's primary, no two nodes
 * take writes, and no acknowledged write is lost.
 */
@Tag("chaos")
class DeposedLeaderIT extends ScenarioIT {
  static final String LEASE_NAMESPACE = "default";
  static final String LEASE_NAME = "redis-operator-leader";
  static final List<String> ELECTED =
      List.of("--leader-elect", "--lease-namespace", LEASE_NAMESPACE, "--lease-name", LEASE_NAME);
  static final Duration TAKEOVER = Duration.ofSeconds(60);
  static final Duration DEPOSED_EXIT = Duration.ofSeconds(30);

  @Override
  String scenario() {
    return "deposed-leader";
  }

  @Test
  void theResumedFormerLeaderChangesNothing() throws Exception {
    boolean sandbox = env instanceof SandboxEnvironment;
    if (!sandbox) {
      ScenarioReport.skipped(
              scenario(), "needs two controller processes it can SIGSTOP (the sandbox)")
          .publish();
    }
    Assumptions.assumeTrue(sandbox);
    var box = ((SandboxEnvironment) env).sandbox();
    env.faults().killController(); // the scenario's own two, both electing, replace it
    ControllerProcess first = box.addController("controller-a", ELECTED);
    first.start();
    List<String> problems = new ArrayList<>();
    if (!pollUntil(() -> holder().startsWith(first.identityPrefix()), TAKEOVER)) {
      throw new AssertionError("controller-a never took the lease: " + holder());
    }
    ControllerProcess second = box.addController("controller-b", ELECTED);
    second.start();
    if (!pollUntil(second::ready, TAKEOVER)) {
      throw new AssertionError("controller-b never became ready as a standby");
    }
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    first.pause();
    long resumedAt;
    long logBefore;
    try {
      if (!pollUntil(() -> holder().startsWith(second.identityPrefix()), TAKEOVER)) {
        problems.add("controller-b did not take the lease within " + TAKEOVER.toSeconds() + " s");
      }
      String target =
          cluster.pods().keySet().stream()
              .filter(p -> !p.equals(initialPrimary))
              .findFirst()
              .orElseThrow();
      annotate(Annotations.SWITCHOVER_TO, target);
      if (!pollUntil(
          () -> target.equals(cluster.get().getStatus().getCurrentPrimary()), TAKEOVER)) {
        problems.add("the new leader did not switch over from " + initialPrimary + " to " + target);
      }
    } finally {
      logBefore = Files.size(first.log());
      resumedAt = System.nanoTime();
      first.resume();
    }
    String successorPrimary = cluster.get().getStatus().getCurrentPrimary();
    boolean exited = pollUntil(() -> !first.isAlive(), DEPOSED_EXIT);
    long exitedAt = System.nanoTime();
    if (!exited) {
      problems.add(
          "the deposed controller was still running "
              + DEPOSED_EXIT.toSeconds()
              + " s after SIGCONT");
    }
    // Reported, not failed on (see docs/failover.md): whether the successor still leads once the
    // deposed one is gone.
    boolean successorLost =
        pollUntil(() -> !holder().startsWith(second.identityPrefix()), Duration.ofSeconds(10));
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c ->
                cluster.pods().size() == INSTANCES
                    && cluster.pods().values().stream().allMatch(PodReadiness::isReady),
            Duration.ofMinutes(3));
    String primaryNow = cluster.get().getStatus().getCurrentPrimary();
    if (!successorPrimary.equals(primaryNow)) {
      problems.add(
          "the primary moved from the successor's " + successorPrimary + " to " + primaryNow);
    }
    String afterResume = tail(first, logBefore);
    System.out.println(
        "chaos-detail: scenario="
            + scenario()
            + " successor_still_leads="
            + !successorLost
            + " deposed_exit_after_resume_ms="
            + (exited ? (exitedAt - resumedAt) / 1_000_000 : -1)
            + " deposed_log_after_resume=\""
            + afterResume
                .lines()
                .filter(
                    l ->
                        l.contains("WARN")
                            || l.contains("ERROR")
                            || l.contains("lease")
                            || l.contains("deposed")
                            || l.contains("409"))
                .limit(5)
                .map(String::strip)
                .reduce((a, b) -> a + " | " + b)
                .orElse("")
                .replace('"', '\'')
            + "\"");
    second.stop(Duration.ofSeconds(5));
    finish(fault, recovery, writer, problems, true);
  }

  private String holder() {
    Lease lease = env.client().leases().inNamespace(LEASE_NAMESPACE).withName(LEASE_NAME).get();
    return lease == null || lease.getSpec() == null || lease.getSpec().getHolderIdentity() == null
        ? ""
        : lease.getSpec().getHolderIdentity();
  }

  private static String tail(ControllerProcess controller, long from) throws IOException {
    byte[] all = Files.readAllBytes(controller.log());
    return from >= all.length
        ? ""
        : new String(
            all, (int) from, all.length - (int) from, java.nio.charset.StandardCharsets.UTF_8);
  }
}
