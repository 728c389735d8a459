package io.redisoperator.controller.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.redisoperator.controller.config.OperatorSettings;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
  static KubernetesClient client;

  private ZonedDateTime renewTime() {
    Lease lease = client.leases().inNamespace("ops").withName("lease").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getRenewTime();
  }

  /**
   * The operator's start (informers listing every watched object) can outlast the lease: the lease
   * is renewed meanwhile, not only once the start returns.
   */
  @Test
  void theLeaseIsRenewedWhileTheStartRuns() {
    OperatorSettings settings =
        OperatorSettings.defaults()
            .withLeaderElection(true, "ops", "lease", "me")
            .withLeaseTiming(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(200));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean stopped = new AtomicBoolean();
    LeaderElection election = new LeaderElection(client, settings);
    election.start(
        () -> {
          started.countDown();
          try {
            release.await(); // a start that takes longer than the lease
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        () -> stopped.set(true));
    try {
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> started.getCount() == 0);
      ZonedDateTime first = renewTime();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> renewTime() != null && !renewTime().equals(first));
      assertEquals(false, stopped.get(), "the lease was never lost");
    } finally {
      release.countDown();
      election.stop();
    }
  }

  /**
   * A graceful stop (SIGTERM, as a rollout sends) gives the lease up: the next candidate leads at
   * its first try instead of waiting for the lease to run out.
   */
  @Test
  void aStoppedLeaderReleasesTheLeaseSoTheNextLeadsAtOnce() {
    Duration leaseDuration = Duration.ofSeconds(30);
    OperatorSettings first =
        OperatorSettings.defaults()
            .withLeaderElection(true, "ops", "release", "first")
            .withLeaseTiming(leaseDuration, Duration.ofSeconds(20), Duration.ofMillis(200));
    CountDownLatch firstLeads = new CountDownLatch(1);
    LeaderElection firstElection = new LeaderElection(client, first);
    firstElection.start(firstLeads::countDown, () -> {});
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> firstLeads.getCount() == 0);
    firstElection.stop();

    CountDownLatch secondLeads = new CountDownLatch(1);
    LeaderElection secondElection =
        new LeaderElection(client, first.withLeaderElection(true, "ops", "release", "second"));
    secondElection.start(secondLeads::countDown, () -> {});
    try {
      // Well inside the lease: an unreleased lease would hold the second back for 30 s.
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> secondLeads.getCount() == 0);
    } finally {
      secondElection.stop();
    }
  }
}
