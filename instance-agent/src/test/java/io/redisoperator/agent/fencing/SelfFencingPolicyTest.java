package io.redisoperator.agent.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.redis.InfoParser;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.agent.SelfFencing;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfFencingPolicyTest {

  @Test
  void fencesAWritablePrimaryOnlyAfterTheIsolationBound() {
    long last = 10_000;
    assertFalse(
        SelfFencingPolicy.mustSelfFence(true, true, last + SelfFencing.ISOLATION_MILLIS, last));
    assertTrue(
        SelfFencingPolicy.mustSelfFence(true, true, last + SelfFencing.ISOLATION_MILLIS + 1, last));
    assertFalse(
        SelfFencingPolicy.mustSelfFence(false, true, last + 60_000, last),
        "replicas take no writes anyway");
    assertFalse(
        SelfFencingPolicy.mustSelfFence(true, false, last + 60_000, last), "already fenced");
  }

  @Test
  void infoDatesAReplicaAckByItsEarliestPossibleMoment() {
    var info =
        InfoParser.parse(
            String.join(
                "\n",
                "role:master",
                "slave0:ip=10.0.0.2,port=6379,state=online,offset=1,lag=0",
                "slave1:ip=10.0.0.3,port=6379,state=online,offset=1,lag=3",
                "slave2:ip=10.0.0.4,port=6379,state=wait_bgsave,offset=0,lag=0"));
    assertEquals(
        49_000,
        SelfFencingPolicy.earliestReplicaContact(info, 50_000),
        "lag 0 may be up to 999 ms old");
    assertEquals(
        0, SelfFencingPolicy.earliestReplicaContact(InfoParser.parse("role:master\n"), 50_000));
  }

  @Test
  void liftsASelfFenceOnlyWhenTheApiServerConfirmsThePrimary() {
    assertTrue(
        SelfFencingPolicy.mayLiftSelfFence(new ClusterView("rc-0", List.of(), null), "rc-0"));
    assertFalse(
        SelfFencingPolicy.mayLiftSelfFence(new ClusterView("rc-1", List.of(), "10.0.0.2"), "rc-0"));
    assertFalse(
        SelfFencingPolicy.mayLiftSelfFence(new ClusterView("rc-0", List.of("rc-0"), null), "rc-0"));
    assertFalse(SelfFencingPolicy.mayLiftSelfFence(new ClusterView(null, List.of(), null), "rc-0"));
    assertFalse(
        SelfFencingPolicy.mayLiftSelfFence(
            new ClusterView("rc-0", List.of(), null, List.of("rc-0")), "rc-0"),
        "the controller cannot reach it: only the controller lifts it");
  }

  private static final RedisInfo ONE_REPLICA_LAG_0 =
      InfoParser.parse("role:master\nslave0:ip=10.0.0.2,port=6379,state=online,offset=1,lag=0\n");
  private static final RedisInfo NO_REPLICA = InfoParser.parse("role:master\n");

  @Test
  void contactIsTheLatestOfApiControllerReplicaAndGrace() {
    SelfFencingPolicy.Contact viaInfo =
        SelfFencingPolicy.contact(50_500, ONE_REPLICA_LAG_0, 50_000, 0, 1_000, 2_000, 3_000);
    assertEquals(49_000, viaInfo.replicaContactMillis(), "INFO's lag 0 dates it a second back");
    assertEquals(49_000, viaInfo.lastContactMillis());
    assertFalse(viaInfo.replicaJustAnswered(), "1.5 s ago");
    SelfFencingPolicy.Contact viaHeartbeat =
        SelfFencingPolicy.contact(50_500, ONE_REPLICA_LAG_0, 50_000, 50_200, 1_000, 2_000, 3_000);
    assertEquals(50_200, viaHeartbeat.replicaContactMillis());
    assertTrue(viaHeartbeat.replicaJustAnswered());
    SelfFencingPolicy.Contact alone =
        SelfFencingPolicy.contact(50_500, NO_REPLICA, 50_000, 0, 1_000, 2_000, 3_000);
    assertEquals(0, alone.replicaContactMillis());
    assertFalse(alone.replicaJustAnswered());
    assertEquals(3_000, alone.lastContactMillis(), "the grace of becoming primary");
    assertEquals(47_500, alone.silentMillis());
  }

  @Test
  void aWritablePrimaryReadsTheApiServerOnlyWithoutFresherEvidence() {
    long now = 100_000;
    long stale = now - SelfFencingPolicy.CONTROLLER_CONTACT_FRESH_MILLIS;
    assertTrue(SelfFencingPolicy.needsApiRead(now, true, false, stale, false, false, false));
    assertFalse(
        SelfFencingPolicy.needsApiRead(now, true, true, stale, false, false, false),
        "a replica just acknowledged");
    assertFalse(
        SelfFencingPolicy.needsApiRead(now, true, false, stale + 1, false, false, false),
        "the controller polled it recently");
    assertFalse(SelfFencingPolicy.needsApiRead(now, false, false, stale, false, false, false));
    assertTrue(SelfFencingPolicy.needsApiRead(now, false, false, now, true, false, false));
    assertTrue(SelfFencingPolicy.needsApiRead(now, false, false, now, false, true, false));
    assertTrue(SelfFencingPolicy.needsApiRead(now, false, false, now, false, false, true));
  }

  @Test
  void aNewPrimaryYieldsToAnotherRecordedPrimaryOnlyAfterTheRecordCouldCatchUp() {
    ClusterView other = new ClusterView("rc-1", List.of(), "10.0.0.2");
    long promotedAt = 10_000;
    long caughtUp = promotedAt + SelfFencingPolicy.RECORD_CATCH_UP_MILLIS;
    assertFalse(SelfFencingPolicy.mustYieldTo(other, "rc-0", caughtUp, promotedAt));
    assertTrue(SelfFencingPolicy.mustYieldTo(other, "rc-0", caughtUp + 1, promotedAt));
    assertFalse(
        SelfFencingPolicy.mustYieldTo(
            new ClusterView("rc-0", List.of(), "10.0.0.1"), "rc-0", caughtUp + 1, promotedAt));
    assertFalse(
        SelfFencingPolicy.mustYieldTo(
            new ClusterView(null, List.of(), null), "rc-0", caughtUp + 1, promotedAt));
  }
}
