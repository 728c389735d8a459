package io.redisoperator.controller.leader;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.redisoperator.controller.config.OperatorSettings;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a coordination.k8s.io Lease (fabric8's LeaderElector): only the holder
 * reconciles. Losing the lease ends the process's reconciling for good (it exits and restarts), so
 * two replicas never act at once.
 */
public final class LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private CompletableFuture<?> running;

  public LeaderElection(KubernetesClient client, OperatorSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  public void start(Runnable onStartLeading, Runnable onStopLeading) {
    var config =
        new LeaderElectionConfigBuilder()
            .withName(settings.leaseName())
            .withLock(
                new LeaseLock(settings.leaseNamespace(), settings.leaseName(), settings.identity()))
            .withLeaseDuration(settings.leaseDuration())
            .withRenewDeadline(settings.renewDeadline())
            .withRetryPeriod(settings.retryPeriod())
            .withReleaseOnCancel(true)
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    () -> {
                      LOG.info(
                          "acquired lease {}/{} as {}",
                          settings.leaseNamespace(),
                          settings.leaseName(),
                          settings.identity());
                      // fabric8 calls this inside its acquire-or-renew step: run here, the start
                      // (waiting for caches still listing every watched object) would hold the
                      // renewals back, and a start longer than the lease would lose it to a
                      // standby.
                      Thread start = new Thread(onStartLeading, "start-leading");
                      start.setDaemon(true);
                      start.start();
                    },
                    () -> {
                      LOG.warn("lost lease {}/{}", settings.leaseNamespace(), settings.leaseName());
                      onStopLeading.run();
                    },
                    leader -> LOG.info("leader is now {}", leader)))
            .build();
    running = client.leaderElector().withConfig(config).build().start();
  }

  /** Gives the lease up (released, so a standby takes over without waiting for it to expire). */
  public void stop() {
    if (running != null) {
      running.cancel(true);
    }
  }
}
