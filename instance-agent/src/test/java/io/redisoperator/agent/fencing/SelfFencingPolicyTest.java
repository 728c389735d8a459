package io.redisoperator.agent.fencing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.redis.InfoParser;
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
}
