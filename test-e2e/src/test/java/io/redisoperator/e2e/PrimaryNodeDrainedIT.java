package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The primary's node is drained under a writer (cordon, then the Eviction API, as {@code kubectl
 * drain}). The primary's PodDisruptionBudget refuses its eviction until the operator has switched
 * over to a replica on another node; then the drain completes. Whether the pod was still the
 * primary when evicted is read from the API server's own record: the pod as it was when its
 * deletion began (a watch event), whose role label the PodDisruptionBudget judged, not from the
 * test's polling of the cluster's status, which trails the label move under load. No failover (no
 * fence), no acknowledged write lost, the old primary takes no write once the new one does, and the
 * write gap is a switchover's.
 */
@Tag("chaos")
class PrimaryNodeDrainedIT extends ScenarioIT {
  /**
   * A switchover pauses writes for milliseconds; routing and the writer's reconnect make up the
   * rest.
   */
  static final long MAX_GAP_MILLIS = 5000;

  @Override
  String scenario() {
    return "primary-node-drained";
  }

  @Test
  void thePrimaryMovesBeforeTheDrainEvictsIt() {
    SplitBrainProbes probes = new SplitBrainProbes(env, cluster, initialPrimary);
    String node = cluster.pods().get(initialPrimary).getSpec().getNodeName();
    NodeDrain drain = new NodeDrain(env.client(), NAMESPACE, node);
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    AtomicReference<String> roleWhenEvicted = new AtomicReference<>();
    Watch deletion =
        cluster
            .client()
            .pods()
            .inNamespace(NAMESPACE)
            .withName(initialPrimary)
            .watch(
                new Watcher<Pod>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (pod.getMetadata().getDeletionTimestamp() != null) {
                      Map<String, String> labels = pod.getMetadata().getLabels();
                      roleWhenEvicted.compareAndSet(
                          null, labels == null ? "" : labels.getOrDefault(Labels.ROLE, ""));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    drain.cordon();
    CompletableFuture<NodeDrain.Result> evictions =
        CompletableFuture.supplyAsync(() -> drain.evictAll(Duration.ofMinutes(3)));
    AtomicBoolean fenced = new AtomicBoolean();
    AtomicLong primaryMoved = new AtomicLong(Long.MAX_VALUE);
    while (!evictions.isDone()) {
      RedisCluster c = cluster.get();
      if (c.getStatus().getFencedInstances().contains(initialPrimary)) {
        fenced.set(true);
      }
      if (!initialPrimary.equals(c.getStatus().getCurrentPrimary())
          && primaryMoved.get() == Long.MAX_VALUE) {
        primaryMoved.set(System.nanoTime());
      }
      sleep(100);
    }
    NodeDrain.Result result = evictions.join();
    List<String> problems = new ArrayList<>();
    if (!result.complete()) {
      problems.add(
          "the drain did not complete: evicted "
              + result.evictedAt().keySet()
              + " of "
              + result.pods());
    }
    Long primaryEvicted = result.evictedAt().get(initialPrimary);
    deletion.close();
    if (primaryEvicted != null && Labels.ROLE_PRIMARY.equals(roleWhenEvicted.get())) {
      problems.add("the primary was evicted while still labelled primary");
    } else if (primaryEvicted != null && roleWhenEvicted.get() == null) {
      problems.add("the old primary's eviction was not seen by the watch");
    }
    if (fenced.get()) {
      problems.add(initialPrimary + " was fenced: a failover, not a switchover");
    }
    double recovery =
        awaitRecovery(
            fault,
            writer,
            c ->
                !initialPrimary.equals(c.getStatus().getCurrentPrimary())
                    && cluster.pods().size() == INSTANCES
                    && cluster.pods().values().stream()
                        .allMatch(
                            p ->
                                PodReadiness.isReady(p) && !node.equals(p.getSpec().getNodeName())),
            Duration.ofMinutes(3));
    probes.stopAndCheck(problems, true);
    long newWritable = probes.newFirstAckNanos();
    long gap = writer.maxGapMillisSince(fault);
    if (gap > MAX_GAP_MILLIS) {
      problems.add("write gap " + gap + " ms, more than a switchover's " + MAX_GAP_MILLIS + " ms");
    }
    System.out.println(
        "chaos-detail: scenario="
            + scenario()
            + " node="
            + node
            + " eviction_refusals="
            + result.refusals()
            + " primary_moved_after_cordon_ms="
            + (primaryMoved.get() == Long.MAX_VALUE ? -1 : (primaryMoved.get() - fault) / 1_000_000)
            + " primary_evicted_after_cordon_ms="
            + (primaryEvicted == null ? -1 : (primaryEvicted - fault) / 1_000_000)
            + " role_when_evicted="
            + roleWhenEvicted.get());
    drain.uncordon();
    finish(fault, recovery, writer, problems, true);
  }
}
