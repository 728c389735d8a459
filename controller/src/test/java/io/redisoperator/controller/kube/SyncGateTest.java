package io.redisoperator.controller.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyncGateTest {
  private final List<String> seen = new ArrayList<>();
  private final SyncGate gate =
      new SyncGate(
          new ResourceListener() {
            @Override
            public void clusterChanged(RedisCluster cluster) {
              seen.add("changed " + cluster.getMetadata().getName());
            }

            @Override
            public void clusterDeleted(String namespace, String name) {
              seen.add("deleted " + name);
            }

            @Override
            public void ownedChanged(String namespace, String cluster) {
              seen.add("owned " + cluster);
            }

            @Override
            public void nodesChanged() {
              seen.add("nodes");
            }
          });

  private static RedisCluster cluster(String name) {
    RedisCluster c = new RedisCluster();
    c.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName(name).build());
    return c;
  }

  @Test
  void nothingPassesBeforeTheCachesHaveSynced() {
    AtomicInteger backups = new AtomicInteger();
    Runnable backupChanged = gate.gated(backups::incrementAndGet);

    gate.clusterChanged(cluster("a"));
    gate.ownedChanged("ns", "a");
    gate.clusterDeleted("ns", "b");
    gate.nodesChanged();
    backupChanged.run();

    assertTrue(seen.isEmpty(), seen.toString());
    assertEquals(0, backups.get());
    assertFalse(gate.isOpen());
  }

  @Test
  void openingAnnouncesEveryCachedClusterOnceThenLetsEventsThrough() {
    AtomicInteger backups = new AtomicInteger();
    Runnable backupChanged = gate.gated(backups::incrementAndGet);
    gate.clusterChanged(cluster("a")); // dropped: the opening announces it from the cache

    gate.open(() -> List.of(cluster("a"), cluster("c")));
    gate.open(() -> List.of(cluster("a"))); // a second opening announces nothing again

    assertEquals(List.of("changed a", "changed c", "nodes"), seen);
    gate.ownedChanged("ns", "a");
    gate.clusterDeleted("ns", "c");
    backupChanged.run();
    assertEquals(List.of("changed a", "changed c", "nodes", "owned a", "deleted c"), seen);
    assertEquals(1, backups.get());
  }
}
