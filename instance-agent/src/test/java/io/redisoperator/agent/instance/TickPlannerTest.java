package io.redisoperator.agent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.agent.fencing.SelfFencingPolicy;
import io.redisoperator.agent.redis.InfoParser;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.SelfFencing;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickPlannerTest {
  private static final long NOW = 100_000;
  private static final InstanceState PRIMARY =
      new InstanceState(null, false, null, null, null, null);
  private static final Endpoint PRIMARY_ADDRESS = new Endpoint("10.0.0.1", 6379);
  private static final InstanceState REPLICA =
      new InstanceState(PRIMARY_ADDRESS, false, null, null, null, null);
  private static final RedisInfo MASTER_INFO = InfoParser.parse("role:master\n");
  private static final RedisInfo REPLICA_INFO =
      InfoParser.parse(
          "role:slave\nmaster_host:10.0.0.1\nmaster_port:6379\nmaster_link_status:up\n");

  /** Facts of an idle agent whose INFO predates its last operation, with recent contact. */
  private static TickPlanner.Facts facts(InstanceState state, RedisInfo info, long lastContact) {
    return new Facts(state, info).contact(lastContact).build();
  }

  /** The facts above, one of them changed per test. */
  private static final class Facts {
    private final InstanceState state;
    private final RedisInfo info;
    private long contact = NOW;
    private Boolean appliedWritable;
    private boolean operationRunning;
    private long lastOpFinished = NOW;
    private boolean probing;
    private long lastProbeStart;
    private long lastReassert;

    Facts(InstanceState state, RedisInfo info) {
      this.state = state;
      this.info = info;
      this.appliedWritable = state.writable();
    }

    /** The API server's and the controller's last contact. */
    Facts contact(long millis) {
      contact = millis;
      return this;
    }

    Facts appliedWritable(Boolean writable) {
      appliedWritable = writable;
      return this;
    }

    Facts operationRunning() {
      operationRunning = true;
      return this;
    }

    Facts lastOpFinished(long millis) {
      lastOpFinished = millis;
      return this;
    }

    Facts probing() {
      probing = true;
      return this;
    }

    Facts lastProbeStart(long millis) {
      lastProbeStart = millis;
      return this;
    }

    Facts lastReassert(long millis) {
      lastReassert = millis;
      return this;
    }

    TickPlanner.Facts build() {
      return new TickPlanner.Facts(
          NOW,
          state,
          info,
          NOW - 10,
          0,
          contact,
          contact,
          0,
          true,
          appliedWritable,
          operationRunning,
          lastOpFinished,
          probing,
          lastProbeStart,
          lastReassert);
    }
  }

  @Test
  void anIsolatedWritablePrimaryFencesItselfAfterTheBoundAndReadsTheApiServer() {
    TickPlanner.Plan silent =
        TickPlanner.atCheck(facts(PRIMARY, MASTER_INFO, NOW - SelfFencing.ISOLATION_MILLIS - 1));
    assertNotNull(silent.selfFenceReason());
    assertTrue(
        silent.selfFenceReason().contains("for " + (SelfFencing.ISOLATION_MILLIS + 1) + " ms"));
    assertTrue(silent.readApi(), "no fresh contact: look for the API server");
    TickPlanner.Plan inTouch = TickPlanner.atCheck(facts(PRIMARY, MASTER_INFO, NOW - 100));
    assertNull(inTouch.selfFenceReason());
    assertFalse(inTouch.readApi(), "the controller polled it just now");
  }

  @Test
  void aReplicaNeverFencesItselfButReadsTheApiServerWhenItsLinkIsDown() {
    RedisInfo linkDown =
        InfoParser.parse(
            "role:slave\nmaster_host:10.0.0.1\nmaster_port:6379\nmaster_link_status:down\n");
    TickPlanner.Plan plan = TickPlanner.atCheck(facts(REPLICA, linkDown, 0));
    assertNull(plan.selfFenceReason());
    assertTrue(plan.readApi());
    assertFalse(TickPlanner.atCheck(facts(REPLICA, REPLICA_INFO, 0)).readApi());
  }

  @Test
  void apiReadsAreSpacedAndNeverOverlap() {
    TickPlanner.Facts base = facts(PRIMARY, MASTER_INFO, NOW - 1900);
    assertTrue(TickPlanner.atCheck(base).readApi());
    TickPlanner.Facts probing =
        new Facts(PRIMARY, MASTER_INFO).contact(NOW - 1900).probing().build();
    assertFalse(TickPlanner.atCheck(probing).readApi(), "one in flight");
    TickPlanner.Facts recent =
        new Facts(PRIMARY, MASTER_INFO)
            .contact(NOW - 1900)
            .lastProbeStart(NOW - SelfFencingPolicy.PROBE_INTERVAL_MILLIS + 1)
            .build();
    assertFalse(TickPlanner.atCheck(recent).readApi(), "the last one started too recently");
  }

  @Test
  void aRoleRedisTookOnItsOwnIsAdoptedOnlyFromAnInfoNewerThanTheLastOperation() {
    TickPlanner.Facts promotedByFailover =
        new Facts(REPLICA, MASTER_INFO).appliedWritable(true).lastOpFinished(NOW - 500).build();
    assertEquals(
        new TickPlanner.RoleChange(null), TickPlanner.atCheck(promotedByFailover).adoptRole());
    assertNull(
        TickPlanner.atCheck(facts(REPLICA, MASTER_INFO, NOW)).adoptRole(),
        "INFO older than the last operation: the operation may have changed the role");
    TickPlanner.Facts demoted = new Facts(PRIMARY, REPLICA_INFO).lastOpFinished(NOW - 500).build();
    assertEquals(
        new TickPlanner.RoleChange(PRIMARY_ADDRESS), TickPlanner.atCheck(demoted).adoptRole());
    TickPlanner.Facts busy =
        new Facts(PRIMARY, REPLICA_INFO).operationRunning().lastOpFinished(NOW - 500).build();
    assertNull(TickPlanner.atCheck(busy).adoptRole(), "an operation runs");
    RedisInfo oddMaster = InfoParser.parse("role:slave\nmaster_host:bad host!\nmaster_port:6379\n");
    TickPlanner.Facts odd = new Facts(PRIMARY, oddMaster).lastOpFinished(NOW - 500).build();
    assertNull(TickPlanner.atCheck(odd).adoptRole());
    assertNotNull(TickPlanner.atCheck(odd).unusableMasterAddress());
  }

  @Test
  void aRoleChangeQueuedBehindAnOperationIsDroppedWhenNoLongerTrue() {
    TickPlanner.RoleChange toPrimary = new TickPlanner.RoleChange(null);
    assertTrue(TickPlanner.roleChangeStillToAdopt(toPrimary, REPLICA, MASTER_INFO, NOW, NOW - 1));
    assertFalse(
        TickPlanner.roleChangeStillToAdopt(toPrimary, REPLICA, MASTER_INFO, NOW - 1, NOW),
        "the INFO predates the operation that ran meanwhile");
    assertFalse(TickPlanner.roleChangeStillToAdopt(toPrimary, PRIMARY, MASTER_INFO, NOW, NOW - 1));
    assertFalse(TickPlanner.roleChangeStillToAdopt(toPrimary, REPLICA, REPLICA_INFO, NOW, NOW - 1));
  }

  @Test
  void writabilityRedisHasNotConfirmedIsReassertedAtMostEveryInterval() {
    TickPlanner.Facts unconfirmed =
        new Facts(PRIMARY, MASTER_INFO)
            .appliedWritable(null)
            .lastReassert(NOW - TickPlanner.REASSERT_INTERVAL_MILLIS)
            .build();
    assertTrue(TickPlanner.atCheck(unconfirmed).reassertWritability());
    TickPlanner.Facts tooSoon =
        new Facts(PRIMARY, MASTER_INFO).appliedWritable(null).lastReassert(NOW - 100).build();
    assertFalse(TickPlanner.atCheck(tooSoon).reassertWritability());
    assertFalse(
        TickPlanner.atCheck(facts(PRIMARY, MASTER_INFO, NOW)).reassertWritability(),
        "Redis confirmed writable");
    InstanceState fenced = PRIMARY.withFence(new FenceMarker("x", false, "t"));
    assertTrue(TickPlanner.missesWantedWritability(true, fenced, true));
    assertFalse(TickPlanner.missesWantedWritability(false, fenced, true), "Redis not running");
  }

  @Test
  void aPlanIsCarriedOutByWhatTheActorTellsItselfInOrder() {
    TickPlanner.RoleChange promoted = new TickPlanner.RoleChange(null);
    assertEquals(
        List.of(
            new InternalCommand.SelfFence("isolated"),
            new InternalCommand.AdoptRole(promoted),
            InternalCommand.ReassertWritability.INSTANCE),
        new TickPlanner.Plan("isolated", true, promoted, "10.0.0.9:6379", true).toSelf());
    assertEquals(
        List.of(),
        new TickPlanner.Plan(null, true, null, "10.0.0.9:6379", false).toSelf(),
        "the read and the warning about the address are the actor's own");
  }
}
