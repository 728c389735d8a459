package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.pod.PodCommand;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Annotations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class PollersTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  static final AgentCredentials CREDENTIALS = new AgentCredentials(null, List.of());

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final Map<String, TestProbe<PodCommand>> probes = new HashMap<>();
  private final List<ActorRef<PodCommand>> stopped = new ArrayList<>();
  private final Pollers pollers =
      new Pollers(
          pod -> probes.computeIfAbsent(pod, p -> testKit.createTestProbe()).ref(), stopped::add);

  static RedisCluster cluster(int instances, String primary) {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setName("c");
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(instances);
    cluster.setSpec(spec);
    RedisClusterStatus status = new RedisClusterStatus();
    status.setCurrentPrimary(primary);
    cluster.setStatus(status);
    return cluster;
  }

  static Pod pod(String name, String ip) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withPodIP(ip)
        .endStatus()
        .build();
  }

  private void sync(RedisCluster cluster, Pod... pods) {
    pollers.sync(List.of(pods), cluster, cluster.getSpec(), CREDENTIALS);
  }

  @Test
  void eachDataPodGetsAPollerToldItsTargetOnlyWhenItChanges() {
    RedisCluster cluster = cluster(2, "c-0");
    sync(cluster, pod("c-0", "10.0.0.1"), pod("c-1", null), pod("c-sentinel-0", "10.0.0.9"));
    assertEquals(Set.of("c-0", "c-1"), pollers.polled());
    PodCommand.Target target = probes.get("c-0").expectMessageClass(PodCommand.Target.class);
    assertEquals("10.0.0.1", target.podIP());
    assertEquals(Duration.ofSeconds(1), target.interval());
    assertEquals(Duration.ofMillis(800), target.timeout());
    assertTrue(target.recordedPrimary(), "its first contact goes before the other pods'");
    sync(cluster, pod("c-0", "10.0.0.1"), pod("c-1", "10.0.0.2"));
    probes.get("c-0").expectNoMessage(Duration.ofMillis(50));
    assertFalse(probes.get("c-1").expectMessageClass(PodCommand.Target.class).recordedPrimary());
    assertEquals("10.0.0.2", probes.get("c-1").expectMessageClass(PodCommand.Target.class).podIP());
  }

  @Test
  void aGonePodStillExpectedIsPolledOnceAtOnceOthersAreStopped() {
    RedisCluster cluster = cluster(2, "c-0");
    sync(cluster, pod("c-0", "10.0.0.1"), pod("c-1", "10.0.0.2"), pod("c-2", "10.0.0.3"));
    probes.values().forEach(p -> p.expectMessageClass(PodCommand.Target.class));
    sync(cluster);
    sync(cluster);
    probes.get("c-0").expectMessage(PodCommand.PodGone.INSTANCE);
    probes.get("c-1").expectMessage(PodCommand.PodGone.INSTANCE);
    probes.get("c-0").expectNoMessage(Duration.ofMillis(50));
    assertEquals(List.of(probes.get("c-2").ref()), stopped);
    assertEquals(Set.of("c-0", "c-1"), pollers.polled());
  }

  @Test
  void aPodBeingDeletedIsPolledUntilRefusedAtOnceAndOnlyOnce() {
    RedisCluster cluster = cluster(2, "c-0");
    sync(cluster, pod("c-0", "10.0.0.1"), pod("c-1", "10.0.0.2"));
    probes.values().forEach(p -> p.expectMessageClass(PodCommand.Target.class));
    Pod deleting = pod("c-0", "10.0.0.1");
    deleting.getMetadata().setDeletionTimestamp("2026-12-05T05:00:00Z");
    sync(cluster, deleting, pod("c-1", "10.0.0.2"));
    probes.get("c-0").expectMessage(PodCommand.PodGone.INSTANCE);
    sync(cluster, deleting, pod("c-1", "10.0.0.2"));
    probes.get("c-0").expectNoMessage(Duration.ofMillis(50));
    probes.get("c-1").expectNoMessage(Duration.ofMillis(10));
  }

  @Test
  void aPodWhoseContainerTurnsUnreadyOrRestartsIsPolledOnceAtOnce() {
    RedisCluster cluster = cluster(1, "c-0");
    sync(cluster, withContainer(pod("c-0", "10.0.0.1"), true, 0));
    probes.get("c-0").expectMessageClass(PodCommand.Target.class);
    sync(cluster, withContainer(pod("c-0", "10.0.0.1"), false, 0));
    probes.get("c-0").expectMessage(PodCommand.PollNow.INSTANCE);
    sync(cluster, withContainer(pod("c-0", "10.0.0.1"), false, 0));
    probes.get("c-0").expectNoMessage(Duration.ofMillis(50));
    sync(cluster, withContainer(pod("c-0", "10.0.0.1"), false, 1));
    probes.get("c-0").expectMessage(PodCommand.PollNow.INSTANCE);
  }

  static Pod withContainer(Pod pod, boolean ready, int restarts) {
    pod.getStatus()
        .setContainerStatuses(
            List.of(
                new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                    .withName("redis")
                    .withReady(ready)
                    .withRestartCount(restarts)
                    .build()));
    return pod;
  }

  @Test
  void theRecordedPrimaryWithoutAPodIsPolledAtItsRecordedAddress() {
    RedisCluster cluster = cluster(1, "c-3");
    InstanceStatusEntry entry = new InstanceStatusEntry();
    entry.setPodIP("10.0.0.4");
    cluster.getStatus().setInstancesStatus(Map.of("c-3", entry));
    sync(cluster, pod("c-0", "10.0.0.1"));
    assertEquals("10.0.0.4", probes.get("c-3").expectMessageClass(PodCommand.Target.class).podIP());
    probes.get("c-3").expectMessage(PodCommand.PodGone.INSTANCE);
    pollers.pollNow("c-3");
    probes.get("c-3").expectMessage(PodCommand.PollNow.INSTANCE);
  }

  @Test
  void nothingIsExpectedWhileHibernatingAndNothingPolledWithoutCredentials() {
    RedisCluster cluster = cluster(2, "c-0");
    assertTrue(Pollers.stillExpected(cluster, cluster.getSpec(), "c-1"));
    assertFalse(Pollers.stillExpected(cluster, cluster.getSpec(), "c-2"));
    cluster.getMetadata().setAnnotations(Map.of(Annotations.HIBERNATION, "on"));
    assertFalse(Pollers.stillExpected(cluster, cluster.getSpec(), "c-0"));
    pollers.sync(List.of(pod("c-0", "10.0.0.1")), cluster, cluster.getSpec(), null);
    assertEquals(Set.of(), pollers.polled());
  }
}
