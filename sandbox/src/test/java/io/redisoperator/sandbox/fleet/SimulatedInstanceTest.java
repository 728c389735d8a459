package io.redisoperator.sandbox.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimulatedInstanceTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final Map<String, SimulatedInstance> byIp = new ConcurrentHashMap<>();
  private final SimulatedInstance.Peers peers =
      new SimulatedInstance.Peers() {
        @Override
        public Optional<SimulatedInstance> byIp(String ip) {
          return Optional.ofNullable(byIp.get(ip));
        }

        @Override
        public List<SimulatedInstance> followersOf(String ip) {
          List<SimulatedInstance> followers = new ArrayList<>();
          byIp.values()
              .forEach(
                  i -> {
                    if (ip.equals(i.masterHost())) {
                      followers.add(i);
                    }
                  });
          return followers;
        }

        @Override
        public void changed() {
          byIp.values().forEach(i -> i.waiters().changed());
        }
      };

  private SimulatedInstance add(String pod, String ip, boolean primary, String master) {
    SimulatedInstance i = new SimulatedInstance(pod, ip, primary, master, now::get, peers);
    byIp.put(ip, i);
    return i;
  }

  @Test
  void replicasFollowTheirPrimarysIdAndOffsetAndLoseTheLinkWhenItDies() {
    SimulatedInstance p = add("c-0", "127.0.200.2", true, null);
    SimulatedInstance r = add("c-1", "127.0.200.3", false, "127.0.200.2");
    now.addAndGet(60_000);
    InstanceStatus primary = p.status();
    InstanceStatus replica = r.status();
    assertEquals(primary.masterReplId(), replica.masterReplId());
    assertEquals(primary.replicationOffset(), replica.replicationOffset());
    assertTrue(primary.replicationOffset() > 0, "an idle primary's offset grows with its pings");
    assertEquals(1, primary.connectedReplicas().size());
    assertEquals(Boolean.TRUE, replica.masterLinkUp());

    p.killRedis();
    assertTrue(p.status().redisProcessDead());
    assertEquals(Boolean.FALSE, r.status().masterLinkUp());
  }

  @Test
  void promotionKeepsTheAgentsGuards() {
    SimulatedInstance p = add("c-0", "127.0.200.2", true, null);
    SimulatedInstance r = add("c-1", "127.0.200.3", false, "127.0.200.2");
    InstanceStatus seen = r.status();
    p.killRedis();
    assertEquals(
        409, r.promote(new PromoteRequest("other", 0L, 2500L), now.get()).orElseThrow().status());
    assertEquals(
        409,
        r.promote(
                new PromoteRequest(seen.masterReplId(), seen.replicationOffset() + 1, 2500L),
                now.get())
            .orElseThrow()
            .status());
    assertEquals(
        408,
        r.promote(new PromoteRequest(seen.masterReplId(), 0L, 2500L), now.get() - 3000)
            .orElseThrow()
            .status());
    assertFalse(
        r.promote(
                new PromoteRequest(seen.masterReplId(), seen.replicationOffset(), 2500L), now.get())
            .isPresent());
    InstanceStatus promoted = r.status();
    assertEquals(InstanceRole.PRIMARY, promoted.role());
    assertTrue(!seen.masterReplId().equals(promoted.masterReplId()), "a new replication id");

    p.restartRedis(false, r.ip());
    assertEquals(InstanceRole.REPLICA, p.status().role());
    assertEquals(
        promoted.masterReplId(), p.status().masterReplId(), "the old primary follows the new one");
  }

  @Test
  void eachAnswerCarriesTheFieldsARealAgentsWouldForItsState() {
    SimulatedInstance p = add("c-0", "127.0.200.2", true, null);
    SimulatedInstance r = add("c-1", "127.0.200.3", false, "127.0.200.2");
    now.addAndGet(60_000);

    InstanceStatus primary = p.status();
    assertEquals("c-0", primary.podName());
    assertEquals(InstanceRole.PRIMARY, primary.role());
    assertTrue(primary.redisUp());
    assertEquals(SimulatedInstance.REDIS_VERSION, primary.redisVersion());
    assertNull(primary.masterHost());
    assertNull(primary.masterPort());
    assertNull(primary.masterLinkUp());
    assertNull(primary.masterLastIoSecondsAgo());
    assertEquals(
        List.of("127.0.200.3"), primary.connectedReplicas().stream().map(c -> c.ip()).toList());
    assertEquals(60, primary.agentUptimeSeconds());
    assertEquals(Boolean.TRUE, primary.redisProcessRunning());
    assertEquals(Map.of(), primary.secretVersions());
    assertEquals(AgentApi.PROTOCOL_VERSION, primary.protocolVersion());
    assertFalse(primary.fenced());
    assertFalse(primary.selfFenced());

    InstanceStatus replica = r.status();
    assertEquals(InstanceRole.REPLICA, replica.role());
    assertTrue(replica.redisUp());
    assertEquals(SimulatedInstance.REDIS_VERSION, replica.redisVersion());
    assertEquals("127.0.200.2", replica.masterHost());
    assertEquals(AgentApi.REDIS_PORT, replica.masterPort());
    assertEquals(0L, replica.masterLastIoSecondsAgo());
    assertEquals(List.of(), replica.connectedReplicas());
    assertEquals(Boolean.TRUE, replica.redisProcessRunning());

    p.killRedis();
    InstanceStatus dead = p.status();
    assertEquals(InstanceRole.UNKNOWN, dead.role());
    assertFalse(dead.redisUp());
    assertNull(dead.redisVersion());
    assertNull(dead.masterReplId());
    assertNull(dead.replicationOffset());
    assertEquals(List.of(), dead.connectedReplicas());
    assertEquals(Boolean.FALSE, dead.redisProcessRunning());
    assertEquals(Map.of(), dead.secretVersions());
    assertEquals(AgentApi.PROTOCOL_VERSION, dead.protocolVersion());

    assertEquals(0L, r.status().masterLastIoSecondsAgo(), "the link just went down");
    now.addAndGet(5_000);
    InstanceStatus cutOff = r.status();
    assertEquals(Boolean.FALSE, cutOff.masterLinkUp());
    assertEquals(5L, cutOff.masterLastIoSecondsAgo());
    assertEquals(
        replica.masterReplId(), cutOff.masterReplId(), "keeps the id it last had from its primary");
  }
}
