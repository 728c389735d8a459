package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator-driven replacement of every pod under write load, whatever triggers it: replicas are
 * replaced first, the primary last and only after a switchover moved the primary role away from it;
 * no acknowledged write is lost.
 */
abstract class RollingReplacementIT extends ScenarioIT {
  private record Deletion(String pod, String primaryAtThatMoment) {}

  /** Runs {@code trigger} under load and checks every pod was replaced in the safe order. */
  void replacedReplicasFirstThenSwitchoverThenOldPrimary(Runnable trigger) {
    Map<String, String> initialUids = new HashMap<>();
    cluster.pods().forEach((name, pod) -> initialUids.put(name, pod.getMetadata().getUid()));
    List<Deletion> deletions = new ArrayList<>();
    // Watch callbacks must not call the API (they run on the client's event loop): read the primary
    // from a cache.
    SharedIndexInformer<RedisCluster> clusters =
        cluster
            .client()
            .resources(RedisCluster.class)
            .inNamespace(NAMESPACE)
            .withName(CLUSTER)
            .inform();
    Watch watch =
        cluster
            .client()
            .pods()
            .inNamespace(NAMESPACE)
            .withLabel(Labels.CLUSTER, CLUSTER)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    String name = pod.getMetadata().getName();
                    boolean leaving =
                        action == Action.DELETED
                            || pod.getMetadata().getDeletionTimestamp() != null;
                    if (leaving && pod.getMetadata().getUid().equals(initialUids.get(name))) {
                      synchronized (deletions) {
                        if (deletions.stream().noneMatch(d -> d.pod().equals(name))) {
                          deletions.add(
                              new Deletion(
                                  name,
                                  clusters.getStore().list().stream()
                                      .findFirst()
                                      .map(c -> c.getStatus().getCurrentPrimary())
                                      .orElse(null)));
                        }
                      }
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    ContinuousWriter writer = new ContinuousWriter(cluster, "w:").start();
    sleep(2000);
    long fault = System.nanoTime();
    trigger.run();
    double recovery =
        awaitRecovery(fault, writer, c -> allReplaced(initialUids), Duration.ofMinutes(6));
    watch.close();
    clusters.close();
    List<String> problems = new ArrayList<>();
    synchronized (deletions) {
      if (deletions.size() != INSTANCES) {
        problems.add("pods replaced: " + deletions);
      } else {
        Deletion last = deletions.get(deletions.size() - 1);
        if (!last.pod().equals(initialPrimary)) {
          problems.add("the primary " + initialPrimary + " was not replaced last: " + deletions);
        }
        if (initialPrimary.equals(last.primaryAtThatMoment())) {
          problems.add("the primary was deleted while still primary (no switchover first)");
        }
      }
    }
    finish(fault, recovery, writer, problems, true);
  }

  private boolean allReplaced(Map<String, String> initialUids) {
    Map<String, Pod> pods = cluster.pods();
    return pods.size() == INSTANCES
        && pods.values().stream().allMatch(PodReadiness::isReady)
        && pods.values().stream()
            .noneMatch(
                p -> p.getMetadata().getUid().equals(initialUids.get(p.getMetadata().getName())));
  }
}
