package io.redisoperator.agent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.agent.fencing.SelfFencingPolicy;
import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.protocol.agent.SelfFencing;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiReadPlannerTest {
  private static final long NOW = 100_000;
  private static final InstanceState PRIMARY =
      new InstanceState(null, false, null, null, null, null);
  private static final Endpoint OLD_PRIMARY = new Endpoint("10.0.0.1", 6379);
  private static final InstanceState REPLICA =
      new InstanceState(OLD_PRIMARY, false, null, null, null, null);

  private static ApiReadPlanner.Plan read(InstanceState state, ClusterView view) {
    return read(state, view, NOW - 60_000, true, 0);
  }

  private static ApiReadPlanner.Plan read(
      InstanceState state,
      ClusterView view,
      long becamePrimaryAt,
      boolean redisRunning,
      long lastUnwritableReport) {
    return ApiReadPlanner.afterRead(
        new ApiReadPlanner.Facts(
            "rc-0",
            6379,
            state,
            view,
            NOW - 20,
            NOW,
            becamePrimaryAt,
            redisRunning,
            lastUnwritableReport));
  }

  @Test
  void aReadThatVouchesForThePodIsContactAndChangesNothingElse() {
    ApiReadPlanner.Plan plan = read(PRIMARY, new ClusterView("rc-0", List.of(), null));
    assertEquals(new ApiReadPlanner.Plan(true, false, null, false, null, null), plan);
  }

  @Test
  void aReadShowingThePodUnreachableOrFencedIsNoContact() {
    assertFalse(
        read(PRIMARY, new ClusterView("rc-0", List.of(), null, List.of("rc-0"))).contact(),
        "the controller may be replacing it");
    ApiReadPlanner.Plan fenced = read(PRIMARY, new ClusterView("rc-0", List.of("rc-0"), null));
    assertFalse(fenced.contact());
    assertTrue(fenced.fenceAsRecorded(), "a writable primary listed as fenced fences itself");
    assertNull(fenced.selfFenceReason(), "the recorded fence, not a self-fence");
  }

  @Test
  void aWritablePrimaryYieldsToAnotherRecordedPrimaryOnlyAfterTheRecordCouldCatchUp() {
    ClusterView other = new ClusterView("rc-1", List.of(), "10.0.0.2");
    assertEquals(
        "the API server records rc-1 as primary",
        read(PRIMARY, other, NOW - SelfFencingPolicy.RECORD_CATCH_UP_MILLIS - 1, true, 0)
            .selfFenceReason());
    assertNull(
        read(PRIMARY, other, NOW - 1000, true, 0).selfFenceReason(),
        "just promoted: the controller has not recorded it yet");
    assertNull(
        read(PRIMARY.withFence(new FenceMarker("x", false, "t")), other).selfFenceReason(),
        "already fenced");
  }

  @Test
  void aSelfFenceIsLiftedOnlyWhenConfirmedAndNoUnwritableReportIsStillValid() {
    InstanceState selfFenced = PRIMARY.withFence(new FenceMarker("isolated", true, "t"));
    ClusterView confirms = new ClusterView("rc-0", List.of(), null);
    assertTrue(read(selfFenced, confirms).liftSelfFence());
    assertFalse(
        read(
                selfFenced,
                confirms,
                0,
                true,
                NOW - 20 - SelfFencing.UNWRITABLE_REPORT_VALIDITY_MILLIS)
            .liftSelfFence(),
        "a report that let the controller promote another one is still valid at the read's start");
    assertFalse(read(selfFenced, new ClusterView("rc-1", List.of(), "10.0.0.2")).liftSelfFence());
  }

  @Test
  void aHeldInstanceWithRedisUpResolvesItsBootSayingWhetherItMayTurnWritable() {
    InstanceState held = PRIMARY.withHold(true);
    ClusterView view = new ClusterView("rc-0", List.of(), null);
    assertEquals(Boolean.TRUE, read(held, view).resolveBoot());
    assertEquals(Boolean.FALSE, read(held, view, 0, true, NOW - 1000).resolveBoot());
    assertNull(read(held, view, 0, false, 0).resolveBoot(), "Redis not running yet");
    assertNull(read(PRIMARY, view).resolveBoot(), "not held");
  }

  @Test
  void aReplicaFollowsTheRecordedPrimaryToItsNewAddress() {
    assertEquals(
        new Endpoint("10.0.0.9", 6379),
        read(REPLICA, new ClusterView("rc-1", List.of(), "10.0.0.9")).follow());
    assertNull(
        read(REPLICA, new ClusterView("rc-1", List.of(), "10.0.0.1")).follow(), "same address");
    assertNull(read(REPLICA, new ClusterView("rc-1", List.of(), null)).follow(), "IP unknown");
    assertNull(
        read(REPLICA, new ClusterView("rc-1", List.of(), "not a host!")).follow(), "unusable IP");
    assertNull(
        read(PRIMARY, new ClusterView("rc-1", List.of(), "10.0.0.9")).follow(),
        "a primary follows nobody");
  }

  @Test
  void aPlanIsCarriedOutByWhatTheActorTellsItselfInOrder() {
    ClusterView view = new ClusterView("rc-0", List.of(), null);
    Endpoint moved = new Endpoint("10.0.0.9", 6379);
    assertEquals(
        List.of(
            new InternalCommand.RecordedFence(),
            new InternalCommand.SelfFence("another is recorded"),
            InternalCommand.LiftSelfFence.INSTANCE,
            new InternalCommand.ResolveBoot(view, false),
            new InternalCommand.FollowPrimary(moved)),
        new ApiReadPlanner.Plan(true, true, "another is recorded", true, false, moved)
            .toSelf(view));
    assertEquals(
        List.of(), new ApiReadPlanner.Plan(true, false, null, false, null, null).toSelf(view));
  }
}
