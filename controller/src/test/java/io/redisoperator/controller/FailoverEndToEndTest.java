package io.redisoperator.controller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.agent.HttpAgentClient;
import io.redisoperator.controller.failover.PromotionGate;
import io.redisoperator.controller.support.FakeAgent;
import io.redisoperator.controller.support.MockApi;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.PrimaryUpdateStrategy;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * Failover, fencing, switchover, rolling updates and hibernation executed by the controller against
 * the CRUD mock with fake agents (issue 6, controller side).
 */
class FailoverEndToEndTest extends OperatorOnMockTest {
  @Override
  String namespacePrefix() {
    return "f-";
  }

  private String primaryOf(String name) {
    return get(name).getStatus().getCurrentPrimary();
  }

  private List<String> fenced(String name) {
    return get(name).getStatus().getFencedInstances();
  }

  @Test
  void oneFailedPollNeverFailsOverButSustainedFailureDoes() throws Exception {
    createHealthy(MockApi.cluster(ns, "det", 2));
    FakeAgent primary = fleet.pod("det-0");
    // One slow answer (longer than the 500 ms poll timeout), then healthy again.
    primary.statusDelayMillis = 700;
    await("a poll is delayed")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> primary.calls.stream().anyMatch(c -> c.endsWith("/v1/status")));
    primary.statusDelayMillis = 0;
    await("no failover and no fence after a single failed poll")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> "det-0".equals(primaryOf("det")) && fenced("det").isEmpty());

    // The agent disappears (connection refused): proof of death, failover without waiting out the
    // fencing bound.
    fleet.stop(primary);
    await("det-1 promoted")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "det-1".equals(primaryOf("det")));
    assertEquals(InstanceRole.PRIMARY, fleet.pod("det-1").role);
    assertEquals(List.of("det-0"), fenced("det"), "the old primary stays fenced while it is away");
    await("leader label moved")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                Labels.ROLE_PRIMARY.equals(
                        client
                            .pods()
                            .inNamespace(ns)
                            .withName("det-1")
                            .get()
                            .getMetadata()
                            .getLabels()
                            .get(Labels.ROLE))
                    && client
                            .pods()
                            .inNamespace(ns)
                            .withName("det-0")
                            .get()
                            .getMetadata()
                            .getLabels()
                            .get(Labels.ROLE)
                        == null);
  }

  @Test
  void aBusyRedisIsFencedThroughItsAgentAndReplacedOnlyOnceTheFenceHolds() throws Exception {
    createHealthy(MockApi.cluster(ns, "bus", 2));
    FakeAgent primary = fleet.pod("bus-0");
    FakeAgent replica = fleet.pod("bus-1");
    // Redis stuck in a long command: its agent answers "Redis down, process running" and cannot
    // apply a fence.
    primary.redisBusy = true;
    await("bus-0 fenced in status")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> fenced("bus").contains("bus-0"));
    await("the fence tried through its agent")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> primary.calls.contains("POST " + AgentApi.PATH_FENCE));
    // Past any time bound: time proves nothing while the agent answers (it is in contact, so it
    // never isolates).
    Duration pastEveryBound = PromotionGate.promotionSafeAfter().plusMillis(1500);
    await("no promotion while the fence does not hold")
        .during(pastEveryBound)
        .atMost(pastEveryBound.plusSeconds(2))
        .until(() -> "bus-0".equals(primaryOf("bus")) && replica.role == InstanceRole.REPLICA);

    primary.redisBusy =
        false; // Redis answers again: the fence is applied, then the replica is promoted
    await("promote sent to bus-1")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> replica.lastPromote != null);
    // Ordered by when each happened: the controller lifts the fence as soon as bus-0 rejoins as a
    // replica, which may be before this thread looks.
    assertTrue(
        primary.lastFencedAtNanos != 0
            && primary.lastFencedAtNanos - replica.lastPromoteAtNanos < 0,
        "fenced before the promotion");
    // Nothing else changes after the promotion: the pass that records it follows the promote's
    // answer at once.
    await("bus-1 recorded right after its promotion")
        .atMost(Duration.ofSeconds(3))
        .ignoreExceptions()
        .until(() -> "bus-1".equals(primaryOf("bus")));
    PromoteRequest request = replica.lastPromote;
    assertNotNull(request.timeoutMillis(), "a promotion carries its deadline");
    assertTrue(
        request.timeoutMillis() <= HttpAgentClient.OPERATION_TIMEOUT.toMillis() / 2,
        request.toString());
    awaitHealthy("bus", 2); // settled: nothing in flight when the operator stops
  }

  @Test
  void aDeadRedisIsFencedThroughItsAgentBeforeTheReplicaIsPromoted() throws Exception {
    createHealthy(MockApi.cluster(ns, "dead", 2));
    fleet.journal.clear();
    // The agent saw redis-server exit: proof, but it may restart Redis; the fence marker must be
    // written first.
    fleet.pod("dead-0").redisProcessDead = true;
    await("dead-1 promoted")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "dead-1".equals(primaryOf("dead")));
    List<String> journal = List.copyOf(fleet.journal);
    int fence = journal.indexOf("dead-0 POST " + AgentApi.PATH_FENCE);
    int promote = journal.indexOf("dead-1 POST " + AgentApi.PATH_PROMOTE);
    assertTrue(fence >= 0 && promote > fence, "fence confirmed before the promotion: " + journal);
    fleet.pod("dead-0").redisProcessDead =
        false; // restarted fenced (its marker): rejoins as a replica
    awaitHealthy("dead", 2);
  }

  @Test
  void aDeletedPrimaryPodOnAnUnreachableNodeIsReplacedOnlyAfterTheGate() throws Exception {
    createHealthy(MockApi.cluster(ns, "unr", 2));
    FakeAgent primary = fleet.pod("unr-0");
    kubelet.unreachableOnDelete.add("unr-0");
    try {
      long deleted = System.nanoTime();
      client.pods().inNamespace(ns).withName("unr-0").withGracePeriod(0).delete();
      await("unr-0 fenced in status")
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .until(() -> fenced("unr").contains("unr-0"));
      await("unr-1 promoted")
          .atMost(TIMEOUT)
          .ignoreExceptions()
          .until(() -> "unr-1".equals(primaryOf("unr")));
      long elapsedMillis = (System.nanoTime() - deleted) / 1_000_000;
      // The pod object is gone but its processes may still serve clients: no proof, the
      // self-fencing bound applies.
      assertTrue(
          elapsedMillis >= PromotionGate.promotionSafeAfter().toMillis(),
          "promoted after " + elapsedMillis + " ms");
    } finally {
      primary.partitioned = false;
    }
    awaitHealthy("unr", 2);
  }

  @Test
  void promotesTheReplicaWithTheHighestOffset() throws Exception {
    createHealthy(MockApi.cluster(ns, "cand", 3));
    FakeAgent primary = fleet.pod("cand-0");
    fleet.pod("cand-1").offset = 900;
    fleet.pod("cand-2").offset = 1000;
    awaitPolledAgain(fleet.pod("cand-1"), fleet.pod("cand-2"));
    fleet.stop(primary);
    await("a replica promoted")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> !"cand-0".equals(primaryOf("cand")));
    assertEquals("cand-2", primaryOf("cand"));
    await("cand-1 repointed to cand-2")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                fleet.pod("cand-2").ip().equals(fleet.pod("cand-1").masterHost)
                    && fleet.pod("cand-1").role == InstanceRole.REPLICA);
    assertEquals(InstanceRole.REPLICA, fleet.pod("cand-1").role, "only one primary");
  }

  @Test
  void fenceIsKeptUntilTheOldPrimaryRejoinsAsReplica() throws Exception {
    createHealthy(MockApi.cluster(ns, "fen", 2));
    FakeAgent old = fleet.pod("fen-0");
    String oldIp = old.ip();
    SSLContext tls = tlsOf(old);
    fleet.stop(old);
    await("fen-1 promoted")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "fen-1".equals(primaryOf("fen")));
    await("fence kept while fen-0 is unreachable")
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> List.of("fen-0").equals(fenced("fen")));

    // fen-0 comes back on the same address still believing it is primary, fenced by its persistent
    // marker.
    FakeAgent back = fleet.start("fen-0", oldIp, tls, InstanceRole.PRIMARY, null);
    back.fenced = true;
    await("fen-0 rejoined and unfenced")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> fenced("fen").isEmpty() && back.role == InstanceRole.REPLICA && !back.fenced);
    assertEquals(fleet.pod("fen-1").ip(), back.masterHost);
    assertTrue(back.calls.contains("POST " + AgentApi.PATH_REPLICATE));
    assertTrue(back.calls.contains("DELETE " + AgentApi.PATH_FENCE));
    await("fen-0 labelled replica")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                Labels.ROLE_REPLICA.equals(
                    client
                        .pods()
                        .inNamespace(ns)
                        .withName("fen-0")
                        .get()
                        .getMetadata()
                        .getLabels()
                        .get(Labels.ROLE)));
    awaitHealthy("fen", 2);
  }

  private static SSLContext tlsOf(FakeAgent agent) throws Exception {
    java.lang.reflect.Field f = FakeAgent.class.getDeclaredField("tls");
    f.setAccessible(true);
    return (SSLContext) f.get(agent);
  }

  @Test
  void failedPromotionIsRetriedAndNeverMakesTwoPrimaries() throws Exception {
    createHealthy(MockApi.cluster(ns, "pro", 3));
    FakeAgent best = fleet.pod("pro-2");
    best.offset = 2000;
    best.refusePromote = true;
    awaitPolledAgain(fleet.pod("pro-1"), best);
    fleet.stop(fleet.pod("pro-0"));
    await("a promotion attempt on pro-2")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> best.calls.contains("POST " + AgentApi.PATH_PROMOTE));
    await("nobody is primary while the promotion is refused")
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(
            () ->
                fleet.pod("pro-1").role != InstanceRole.PRIMARY
                    && best.role != InstanceRole.PRIMARY
                    && "pro-0".equals(primaryOf("pro")));
    assertTrue(
        best.calls.stream().filter(c -> c.equals("POST " + AgentApi.PATH_PROMOTE)).count() >= 2,
        "retried");
    best.refusePromote = false;
    await("pro-2 promoted")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "pro-2".equals(primaryOf("pro")));
    await("pro-1 follows pro-2")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> best.ip().equals(fleet.pod("pro-1").masterHost));
    assertEquals(InstanceRole.REPLICA, fleet.pod("pro-1").role);
  }

  @Test
  void restartedOperatorResumesBetweenFenceAndPromotion() throws Exception {
    createHealthy(MockApi.cluster(ns, "res", 2));
    FakeAgent primary = fleet.pod("res-0");
    // A partitioned primary (no refusal, no proof of death): the controller fences, then waits out
    // the self-fencing
    // bound before promoting.
    primary.partitioned = true;
    await("res-0 fenced")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> fenced("res").contains("res-0"));
    assertEquals("res-0", primaryOf("res"), "not promoted before the fencing bound");
    operator.close();
    operator = null;
    assertEquals(InstanceRole.REPLICA, fleet.pod("res-1").role);
    operator = Operator.start(settings(), client);
    await("res-1 promoted by the restarted operator")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "res-1".equals(primaryOf("res")));
    assertEquals(List.of("res-0"), fenced("res"));
    primary.partitioned = false;
  }

  @Test
  void supervisedRollingUpdateWaitsForApproval() throws Exception {
    RedisCluster cluster = MockApi.cluster(ns, "sup", 2);
    cluster.getSpec().setPrimaryUpdateStrategy(PrimaryUpdateStrategy.SUPERVISED);
    createHealthy(cluster);
    String replicaUid =
        client.pods().inNamespace(ns).withName("sup-1").get().getMetadata().getUid();
    edit(
        "sup",
        c -> {
          c.getSpec().setImageName("redis:7.2.5");
          return c;
        });
    await("WaitingForUser")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> get("sup").getStatus().getPhase() == Phase.WAITING_FOR_USER);
    assertNotEquals(
        replicaUid,
        client.pods().inNamespace(ns).withName("sup-1").get().getMetadata().getUid(),
        "replica first");
    assertEquals(
        "redis:7.2.5",
        client
            .pods()
            .inNamespace(ns)
            .withName("sup-1")
            .get()
            .getSpec()
            .getContainers()
            .get(0)
            .getImage());
    assertEquals("sup-0", primaryOf("sup"));
    await("still waiting for the user")
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> get("sup").getStatus().getPhase() == Phase.WAITING_FOR_USER);

    annotate("sup", Annotations.APPROVE_PRIMARY_UPDATE, "true");
    await("switched over to sup-1")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "sup-1".equals(primaryOf("sup")));
    await("former primary recreated with the new image")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              Pod p = client.pods().inNamespace(ns).withName("sup-0").get();
              return p != null
                  && "redis:7.2.5".equals(p.getSpec().getContainers().get(0).getImage());
            });
    awaitHealthy("sup", 2);
    await("approval consumed")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> annotation("sup", Annotations.APPROVE_PRIMARY_UPDATE) == null);
    assertTrue(
        fleet.pod("sup-0").calls.isEmpty() || fleet.pod("sup-0").role == InstanceRole.REPLICA);
  }

  @Test
  void switchoverOnRequestMovesThePrimary() throws Exception {
    createHealthy(MockApi.cluster(ns, "swi", 3));
    annotate("swi", Annotations.SWITCHOVER_TO, "swi-1");
    await("swi-1 primary")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "swi-1".equals(primaryOf("swi")));
    await("annotation consumed")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> annotation("swi", Annotations.SWITCHOVER_TO) == null);
    await("swi-2 follows swi-1")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> fleet.pod("swi-1").ip().equals(fleet.pod("swi-2").masterHost));
    assertTrue(fenced("swi").isEmpty(), "a switchover fences nobody");
    awaitHealthy("swi", 3);
    assertEquals(
        Labels.ROLE_REPLICA,
        client
            .pods()
            .inNamespace(ns)
            .withName("swi-0")
            .get()
            .getMetadata()
            .getLabels()
            .get(Labels.ROLE));
  }

  @Test
  void deletedPrimaryPodFailsOverAndComesBackAsReplica() throws Exception {
    createHealthy(MockApi.cluster(ns, "pod", 2));
    client.pods().inNamespace(ns).withName("pod-0").withGracePeriod(0).delete();
    await("pod-1 promoted")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "pod-1".equals(primaryOf("pod")));
    await("pod-0 back as a replica of pod-1, unfenced")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> {
              FakeAgent back = fleet.pod("pod-0");
              return back != null
                  && back.role == InstanceRole.REPLICA
                  && fleet.pod("pod-1").ip().equals(back.masterHost)
                  && fenced("pod").isEmpty();
            });
    awaitHealthy("pod", 2);
    assertEquals(
        1,
        operator
            .metrics()
            .registry()
            .get("redis_operator_failovers")
            .tag("kind", "failover")
            .counter()
            .count());
  }

  @Test
  void scaleDownSwitchesOverBeforeRemovingThePrimary() throws Exception {
    createHealthy(MockApi.cluster(ns, "sca", 3));
    annotate("sca", Annotations.SWITCHOVER_TO, "sca-2");
    await("sca-2 primary")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> "sca-2".equals(primaryOf("sca")));
    awaitHealthy("sca", 3);
    edit(
        "sca",
        c -> {
          c.getSpec().setInstances(1);
          return c;
        });
    awaitHealthy("sca", 1);
    assertEquals("sca-0", primaryOf("sca"));
    assertEquals(
        List.of("sca-0"), pods("sca").stream().map(p -> p.getMetadata().getName()).toList());
  }

  @Test
  void hibernationDeletesPodsKeepsDataAndWakesWithTheSamePrimary() throws Exception {
    createHealthy(MockApi.cluster(ns, "hib", 2));
    Map<String, String> pvcUids = new java.util.TreeMap<>();
    client
        .persistentVolumeClaims()
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(p -> pvcUids.put(p.getMetadata().getName(), p.getMetadata().getUid()));
    annotate("hib", Annotations.HIBERNATION, "on");
    await("pods deleted")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () -> pods("hib").isEmpty() && get("hib").getStatus().getPhase() == Phase.HIBERNATING);
    await("no pod comes back while hibernating")
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(3))
        .until(() -> pods("hib").isEmpty());
    assertEquals("hib-0", primaryOf("hib"));
    assertTrue(fenced("hib").isEmpty(), "hibernation is not a failure");
    annotate("hib", Annotations.HIBERNATION, "off");
    awaitHealthy("hib", 2);
    assertEquals("hib-0", primaryOf("hib"));
    Map<String, String> after = new java.util.TreeMap<>();
    client
        .persistentVolumeClaims()
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(p -> after.put(p.getMetadata().getName(), p.getMetadata().getUid()));
    assertEquals(pvcUids, after, "same PVCs");
  }

  @Test
  void humanFencingAnnotationFencesAndRemovingItResumes() throws Exception {
    createHealthy(MockApi.cluster(ns, "hum", 2));
    annotate("hum", Annotations.FENCED_INSTANCES, "[\"hum-0\"]");
    await("hum-0 fenced by its agent")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> fleet.pod("hum-0").fenced);
    await("no leader label on a fenced pod")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(
            () ->
                client
                        .pods()
                        .inNamespace(ns)
                        .withName("hum-0")
                        .get()
                        .getMetadata()
                        .getLabels()
                        .get(Labels.ROLE)
                    == null);
    assertEquals("hum-0", primaryOf("hum"), "a human fence is not a failover");
    annotate("hum", Annotations.FENCED_INSTANCES, null);
    await("hum-0 unfenced")
        .atMost(TIMEOUT)
        .ignoreExceptions()
        .until(() -> !fleet.pod("hum-0").fenced);
    awaitHealthy("hum", 2);
  }

  /**
   * Waits until each agent has answered two more status polls, so what it was just given has been
   * seen.
   */
  private static void awaitPolledAgain(FakeAgent... agents) {
    for (FakeAgent agent : agents) {
      long before = agent.statusPolls();
      await(agent.ip() + " polled again")
          .atMost(TIMEOUT)
          .until(() -> agent.statusPolls() >= before + 2);
    }
  }
}
