package io.redisoperator.controller.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileStepsTest {

  private static List<String> describe(Plan plan) {
    return plan.actions().stream().map(Action::describe).toList();
  }

  @Test
  void bootstrapRecordsTheFirstPrimaryBeforeAnyPodExists() {
    PlannerFixture f = new PlannerFixture(3, null);
    Plan plan = f.plan(new BootstrapStep());
    assertNotNull(plan.decision());
    assertEquals("c-0", plan.decision().currentPrimary());
    assertTrue(plan.actions().isEmpty());
  }

  /**
   * A brand-new cluster's first pass runs only the step that records its first primary: the others
   * built every object and issued the agent CA and certificates for the decision to discard them.
   */
  @Test
  void aNewClustersFirstPassOnlyRecordsItsPrimary() {
    List<String> ran = new java.util.ArrayList<>();
    ReconcileStep before = (in, plan) -> ran.add("before");
    ReconcileStep after = (in, plan) -> ran.add("after");
    ReconcilePlanner planner = new ReconcilePlanner(List.of(before, new BootstrapStep(), after));

    PlannerFixture f = new PlannerFixture(3, null);
    Plan first = planner.plan(f.input());
    assertEquals("c-0", first.decision().currentPrimary());
    assertEquals(List.of(), ran, "no other step planned");

    f.cluster.getStatus().setCurrentPrimary("c-0");
    planner.plan(f.input());
    assertEquals(List.of("before", "after"), ran, "once recorded, every step");
  }

  /** Pods without a recorded primary (a lost status): every step plans, as before. */
  @Test
  void aClusterWithPodsButNoPrimaryRunsEveryStep() {
    List<String> ran = new java.util.ArrayList<>();
    ReconcilePlanner planner =
        new ReconcilePlanner(List.of((in, plan) -> ran.add("before"), new BootstrapStep()));
    PlannerFixture f = new PlannerFixture(3, null);
    f.pod(0, InstanceRole.PRIMARY, null);
    assertEquals("c-0", planner.plan(f.input()).decision().currentPrimary());
    assertEquals(List.of("before"), ran);
  }

  @Test
  void theAgentsRoleBindingWaitsForItsRole() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    List<String> first = describe(f.plan(new SupportObjectsStep()));
    assertTrue(first.stream().anyMatch(a -> a.startsWith("create Role ")), first.toString());
    assertTrue(
        first.stream().noneMatch(a -> a.startsWith("create RoleBinding ")), first.toString());

    f.owned.add(io.redisoperator.controller.resources.AgentRbac.role(f.cluster));
    List<String> next = describe(f.plan(new SupportObjectsStep()));
    assertTrue(next.stream().noneMatch(a -> a.startsWith("create Role ")), next.toString());
    assertTrue(next.stream().anyMatch(a -> a.startsWith("create RoleBinding ")), next.toString());
  }

  /** The disruption controller reports a budget selecting no pod with an Event, at each sync. */
  @Test
  void aNewClustersBudgetWaitsForAPodItSelects() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    List<String> first = describe(f.plan(new SupportObjectsStep()));
    assertTrue(
        first.stream().noneMatch(a -> a.startsWith("create PodDisruptionBudget ")),
        first.toString());

    f.pod(0, InstanceRole.PRIMARY, null);
    List<String> primary = describe(f.plan(new SupportObjectsStep()));
    assertTrue(primary.contains("create PodDisruptionBudget c-primary"), primary.toString());
    assertTrue(!primary.contains("create PodDisruptionBudget c-replica"), primary.toString());

    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    assertTrue(
        describe(f.plan(new SupportObjectsStep()))
            .contains("create PodDisruptionBudget c-replica"));
  }

  @Test
  void pastCreationABudgetIsCreatedWhateverItSelects() {
    PlannerFixture f = new PlannerFixture(1, "c-0");
    f.cluster.getStatus().setPhase(Phase.HEALTHY);
    List<String> actions = describe(f.plan(new SupportObjectsStep()));
    assertTrue(actions.contains("create PodDisruptionBudget c-primary"), actions.toString());
    assertTrue(actions.contains("create PodDisruptionBudget c-replica"), actions.toString());
  }

  @Test
  void onlyThePrimaryIsCreatedUntilItServes() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    Plan plan = f.plan(new InstancesStep());
    assertTrue(describe(plan).contains("create Pod c-0"));
    assertTrue(
        describe(plan).stream()
            .noneMatch(a -> a.equals("create Pod c-1") || a.equals("create Pod c-2")));
    assertEquals(
        3,
        plan.actions().stream()
            .filter(
                a -> a instanceof Action.Create c && c.object() instanceof PersistentVolumeClaim)
            .count());
  }

  /** Created labelled: no label patch (and its pass) to follow the creation. */
  @Test
  void thePrimaryPodIsCreatedWithThePrimaryLabel() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    assertEquals(
        Labels.ROLE_PRIMARY, createdPod(f.plan(new InstancesStep()), "c-0").get(Labels.ROLE));
  }

  @Test
  void aFencedPrimaryPodIsCreatedWithoutARoleLabel() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.cluster.getStatus().setFencedInstances(List.of("c-0"));
    assertNull(createdPod(f.plan(new InstancesStep()), "c-0").get(Labels.ROLE));
  }

  @Test
  void replicaPodsAreCreatedWithTheReplicaLabelUnlessFenced() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.cluster.getStatus().setFencedInstances(List.of("c-2"));
    Plan plan = f.plan(new InstancesStep());
    assertEquals(Labels.ROLE_REPLICA, createdPod(plan, "c-1").get(Labels.ROLE));
    assertNull(createdPod(plan, "c-2").get(Labels.ROLE));
  }

  private static Map<String, String> createdPod(Plan plan, String name) {
    return plan.actions().stream()
        .filter(a -> a instanceof Action.Create c && c.object() instanceof Pod)
        .map(a -> (Pod) ((Action.Create) a).object())
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getMetadata()
        .getLabels();
  }

  @Test
  void replicasAreCreatedOnceThePrimaryServes() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    List<String> actions = describe(f.plan(new InstancesStep()));
    assertTrue(actions.contains("create Pod c-1"));
    assertTrue(actions.contains("create Pod c-2"));
  }

  /**
   * A new cluster's replicas are created once its primary's pod is Ready and addressed, before the
   * controller has heard from its agent: at N=1000 the first polls queued behind every other pod's
   * first contact, and the median cluster's replicas were created 170 s after its primary ran.
   */
  @Test
  void aNewClustersReplicasAreCreatedOnceItsPrimaryPodIsReady() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    Pod primary = f.pod(0, InstanceRole.PRIMARY, null);
    f.reports.remove("c-0"); // not polled yet
    List<String> actions = describe(f.plan(new InstancesStep()));
    assertTrue(actions.contains("create Pod c-1"), actions.toString());
    assertTrue(actions.contains("create Pod c-2"), actions.toString());

    primary.getStatus().getConditions().get(0).setStatus("False");
    assertTrue(
        describe(f.plan(new InstancesStep())).stream().noneMatch(a -> a.startsWith("create Pod")),
        "not Ready: Redis does not serve yet");

    primary.getStatus().getConditions().get(0).setStatus("True");
    f.cluster.getStatus().setFencedInstances(List.of("c-0"));
    assertTrue(
        describe(f.plan(new InstancesStep())).stream().noneMatch(a -> a.startsWith("create Pod")),
        "a fenced primary is followed by nobody");
  }

  /** Past its creation, a cluster's missing replica waits for its primary's agent as before. */
  @Test
  void pastCreationReplicasWaitForThePrimarysAnswer() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.cluster.getStatus().setPhase(Phase.DEGRADED);
    f.pod(0, InstanceRole.PRIMARY, null);
    f.reports.remove("c-0");
    assertTrue(
        describe(f.plan(new InstancesStep())).stream().noneMatch(a -> a.startsWith("create Pod")));
  }

  /** A recorded primary whose agent answers in another role is not followed, Ready or not. */
  @Test
  void aNewClustersPrimaryAnsweringAsReplicaIsNotFollowed() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.REPLICA, "10.0.0.9");
    assertTrue(
        describe(f.plan(new InstancesStep())).stream().noneMatch(a -> a.startsWith("create Pod")));
  }

  @Test
  void replicasOfAClusterBeingCreatedKeepItCreatingAndOfAHealthyOneScaleIt() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.cluster.getStatus().setPhase(Phase.CREATING);
    assertEquals(Phase.CREATING, f.plan(new InstancesStep()).phase(), "still being created");
    f.cluster.getStatus().setPhase(Phase.HEALTHY);
    assertEquals(Phase.SCALING, f.plan(new InstancesStep()).phase(), "a scale-up");
  }

  @Test
  void scaleDownRemovesTheHighestOrdinalFirstAndNeverThePrimary() {
    PlannerFixture f = new PlannerFixture(2, "c-3");
    f.pod(0, InstanceRole.REPLICA, "10.0.0.4");
    f.pod(1, InstanceRole.REPLICA, "10.0.0.4");
    f.pod(2, InstanceRole.REPLICA, "10.0.0.4");
    f.pod(3, InstanceRole.PRIMARY, null);
    f.pod(4, InstanceRole.REPLICA, "10.0.0.4");
    Plan plan = f.plan(new InstancesStep());
    List<String> deletes = describe(plan).stream().filter(a -> a.startsWith("delete Pod")).toList();
    assertEquals(List.of("delete Pod c-4 (scale down to 2)"), deletes);
    assertEquals(Phase.SCALING, plan.phase());
  }

  @Test
  void aMissingPrimaryWithAReplicaIsLeftToFailover() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    assertTrue(
        describe(f.plan(new InstancesStep())).stream().noneMatch(a -> a.equals("create Pod c-0")));
    f.cluster.getStatus().setFencedInstances(List.of("c-0"));
    assertTrue(
        describe(f.plan(new InstancesStep())).stream().noneMatch(a -> a.equals("create Pod c-0")),
        "not even fenced: it would boot as the primary still named in status");
    f.cluster.getStatus().setCurrentPrimary("c-1");
    f.cluster.getStatus().setTargetPrimary("c-1");
    f.reports.clear();
    f.owned.clear();
    f.pod(1, InstanceRole.PRIMARY, null);
    assertTrue(
        describe(f.plan(new InstancesStep())).contains("create Pod c-0"),
        "back as a replica once c-1 is recorded");
  }

  @Test
  void roleLabelsFollowStatusAndAgents() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    assertTrue(f.plan(new RoleLabelStep()).actions().isEmpty(), "labels already true: no write");
    f.cluster.getStatus().setFencedInstances(List.of("c-0"));
    Plan plan = f.plan(new RoleLabelStep());
    assertEquals(1, plan.actions().size());
    Action.Patch patch = (Action.Patch) plan.actions().get(0);
    assertEquals("c-0", patch.name());
    assertTrue(patch.patch().toString().contains("\"" + Labels.ROLE + "\":null"));
  }

  @Test
  void aRestartedOperatorKeepsReplicaLabelsUntilItHearsFromTheAgents() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    Pod stalePrimary = f.pod(2, InstanceRole.REPLICA, "10.0.0.1");
    stalePrimary.getMetadata().getLabels().put(Labels.ROLE, Labels.ROLE_PRIMARY);
    f.reports.clear(); // nothing polled yet
    assertEquals(
        List.of("patch Pod c-2 (role primary -> null)"),
        describe(f.plan(new RoleLabelStep())),
        "only the label that contradicts status goes; the replicas keep theirs");
  }

  @Test
  void hibernationDeletesPodsAndNothingElse() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.cluster.getMetadata().setAnnotations(Map.of(Annotations.HIBERNATION, "on"));
    Plan plan = f.plan(new HibernationStep());
    assertEquals(
        List.of("delete Pod c-0 (hibernating)", "delete Pod c-1 (hibernating)"), describe(plan));
    assertTrue(plan.finished());
    assertEquals(Phase.HIBERNATING, plan.phase());
  }

  @Test
  void invalidSpecStopsEverythingWithOneWarning() {
    PlannerFixture f = new PlannerFixture(0, null);
    Plan plan = ReconcilePlanner.standard().plan(f.input());
    assertEquals(Phase.INVALID, plan.phase());
    assertEquals(1, plan.actions().size());
    Action.Emit emit = (Action.Emit) plan.actions().get(0);
    assertTrue(emit.reason().warning());
    assertTrue(emit.note().contains("spec.instances"));
    var status = StatusBuilder.build(f.input(), plan);
    f.cluster.setStatus(status);
    assertTrue(ReconcilePlanner.standard().plan(f.input()).actions().isEmpty(), "reported once");
  }

  @Test
  void fencingWanted_isSentToTheAgentOnceAndUnfencingWhenNoLongerWanted() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    f.cluster.getMetadata().setAnnotations(Map.of(Annotations.FENCED_INSTANCES, "c-1"));
    assertEquals(
        List.of("fence c-1 (fenced by annotation)"), describe(f.plan(new FenceSyncStep())));
    f.recent.add(ReconcileInput.opKey("fence", "c-1", "10.0.0.2"));
    assertTrue(f.plan(new FenceSyncStep()).actions().isEmpty(), "not repeated while in flight");
  }

  @Test
  void thePrimaryIsRecordedUnreachableFromItsFirstUnansweredPollUntilItAnswers() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    Plan plan = ReconcilePlanner.standard().plan(f.input());
    assertEquals(List.of(), StatusBuilder.build(f.input(), plan).getUnreachableInstances());

    PodReport answered = f.reports.get("c-0");
    f.reports.put(
        "c-0",
        new PodReport(
            "c-0",
            answered.podIP(),
            answered.status(),
            answered.lastSeen(),
            1,
            PollFailure.TIMEOUT,
            PlannerFixture.NOW,
            PlannerFixture.NOW.minusMillis(500),
            0));
    var oneFailure = StatusBuilder.build(f.input(), ReconcilePlanner.standard().plan(f.input()));
    assertEquals(
        List.of("c-0"),
        oneFailure.getUnreachableInstances(),
        "one failed poll: recorded, no failover");
    assertTrue(
        StatusBuilder.materiallyDifferent(f.cluster.getStatus(), oneFailure), "written at once");

    f.reports.put(
        "c-1",
        new PodReport(
            "c-1",
            "10.0.0.2",
            f.reports.get("c-1").status(),
            PlannerFixture.NOW,
            2,
            PollFailure.TIMEOUT,
            PlannerFixture.NOW,
            PlannerFixture.NOW.minusMillis(500),
            0));
    f.reports.put("c-0", answered);
    assertEquals(
        List.of(),
        StatusBuilder.build(f.input(), ReconcilePlanner.standard().plan(f.input()))
            .getUnreachableInstances(),
        "the primary answers again; a silent replica is not recorded");
  }

  @Test
  void thePrimaryIsRecordedUnreachableWhileAPollIsOverdueBeforeItFails() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    PodReport answered = f.reports.get("c-0");
    f.reports.put(
        "c-0",
        new PodReport(
            "c-0",
            answered.podIP(),
            answered.status(),
            answered.lastSeen(),
            0,
            PollFailure.NONE,
            PlannerFixture.NOW.minusMillis(300),
            PlannerFixture.NOW.minusMillis(300),
            0));
    var overdue = StatusBuilder.build(f.input(), ReconcilePlanner.standard().plan(f.input()));
    assertEquals(List.of("c-0"), overdue.getUnreachableInstances(), "no failed poll yet");
    assertTrue(
        StatusBuilder.materiallyDifferent(f.cluster.getStatus(), overdue), "written at once");
  }

  /**
   * A starting cluster: its replicas have not answered yet, so no failover can start and the record
   * would gate nothing; the first replica answer brings it back.
   */
  @Test
  void thePrimaryIsNotRecordedUnreachableBeforeAReplicaThatCouldTakeOverAnswered() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    overdue(f, "c-0");
    assertEquals(
        List.of(),
        StatusBuilder.build(f.input(), ReconcilePlanner.standard().plan(f.input()))
            .getUnreachableInstances(),
        "no replica answered yet");

    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    assertEquals(
        List.of("c-0"),
        StatusBuilder.build(f.input(), ReconcilePlanner.standard().plan(f.input()))
            .getUnreachableInstances(),
        "a replica answered: recorded at once");

    f.cluster.getStatus().setFencedInstances(List.of("c-1"));
    assertEquals(
        List.of(),
        StatusBuilder.unreachablePrimary(f.input(), "c-0"),
        "a fenced replica never takes over");
  }

  /** A restarted controller has not heard from the replicas yet; the status says they answered. */
  @Test
  void thePrimaryIsRecordedUnreachableWhenTheStatusHoldsAReplicasReplicationId() {
    PlannerFixture f = new PlannerFixture(3, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    overdue(f, "c-0");
    io.redisoperator.protocol.crd.InstanceStatusEntry replica =
        new io.redisoperator.protocol.crd.InstanceStatusEntry();
    replica.setRole(InstanceRole.REPLICA);
    replica.setReplicationId("replid");
    f.cluster.getStatus().setInstancesStatus(new java.util.TreeMap<>(Map.of("c-1", replica)));
    assertEquals(List.of("c-0"), StatusBuilder.unreachablePrimary(f.input(), "c-0"));
  }

  /** The pod's last answer stands; its poll sent 300 ms ago is still out. */
  private static void overdue(PlannerFixture f, String pod) {
    PodReport answered = f.reports.get(pod);
    f.reports.put(
        pod,
        new PodReport(
            pod,
            answered.podIP(),
            answered.status(),
            answered.lastSeen(),
            0,
            PollFailure.NONE,
            PlannerFixture.NOW.minusMillis(300),
            PlannerFixture.NOW.minusMillis(300),
            0));
  }

  @Test
  void steadyStatusIsNotRewrittenForOffsetsAlone() {
    PlannerFixture f = new PlannerFixture(2, "c-0");
    f.pod(0, InstanceRole.PRIMARY, null);
    f.pod(1, InstanceRole.REPLICA, "10.0.0.1");
    Plan plan = ReconcilePlanner.standard().plan(f.input());
    var status = StatusBuilder.build(f.input(), plan);
    assertEquals(Phase.HEALTHY, status.getPhase());
    f.cluster.setStatus(status);
    var moved = StatusBuilder.build(f.input(), plan);
    moved.getInstancesStatus().get("c-1").setReplicationOffset(123456L);
    moved.getInstancesStatus().get("c-1").setLagBytes(99L);
    assertTrue(!StatusBuilder.materiallyDifferent(status, moved));
    moved.getInstancesStatus().get("c-1").setLinkUp(false);
    assertTrue(StatusBuilder.materiallyDifferent(status, moved));
    assertNull(StatusBuilder.build(f.input(), plan).getPhaseReason());
  }
}
