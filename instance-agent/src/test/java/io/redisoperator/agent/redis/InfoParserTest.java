package io.redisoperator.agent.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.ReplicaInfo;
import io.redisoperator.protocol.crd.InstanceRole;
import org.junit.jupiter.api.Test;

class InfoParserTest {
  private static final String PRIMARY =
      String.join(
          "\r\n",
          "# Server",
          "redis_version:7.0.15",
          "process_id:42",
          "# Replication",
          "role:master",
          "connected_slaves:2",
          "slave0:ip=10.0.0.2,port=6379,state=online,offset=1234,lag=0",
          "slave1:ip=10.0.0.3,port=6379,state=wait_bgsave,offset=0,lag=3",
          "master_failover_state:no-failover",
          "master_replid:8f5b1c1a0c3f6d5e4b3a2918f7e6d5c4b3a29180",
          "master_repl_offset:1234",
          "# Keyspace",
          "db0:keys=10,expires=0,avg_ttl=0",
          "db3:keys=5,expires=1,avg_ttl=10",
          "");

  private static final String REPLICA =
      String.join(
          "\n",
          "# Replication",
          "role:slave",
          "master_host:10.0.0.1",
          "master_port:6379",
          "master_link_status:down",
          "master_last_io_seconds_ago:-1",
          "master_sync_in_progress:0",
          "master_replid:8f5b1c1a0c3f6d5e4b3a2918f7e6d5c4b3a29180",
          "master_repl_offset:999");

  @Test
  void parsesAPrimaryWithItsReplicas() {
    RedisInfo info = InfoParser.parse(PRIMARY);
    assertEquals(InstanceRole.PRIMARY, info.role());
    assertEquals("7.0.15", info.get("redis_version"));
    assertEquals(1234L, info.replicationOffset());
    assertEquals("8f5b1c1a0c3f6d5e4b3a2918f7e6d5c4b3a29180", info.masterReplId());
    assertEquals(2, info.replicas().size());
    assertEquals(new ReplicaInfo("10.0.0.2", 6379, "online", 1234, 0), info.replicas().get(0));
    assertEquals(new ReplicaInfo("10.0.0.3", 6379, "wait_bgsave", 0, 3), info.replicas().get(1));
    assertEquals(15, info.totalKeys());
    assertEquals("no-failover", info.failoverState());
    assertNull(info.masterLinkUp());
  }

  @Test
  void parsesAReplica() {
    RedisInfo info = InfoParser.parse(REPLICA);
    assertEquals(InstanceRole.REPLICA, info.role());
    assertEquals("10.0.0.1", info.masterHost());
    assertEquals(6379, info.masterPort());
    assertEquals(false, info.masterLinkUp());
    assertEquals(-1L, info.masterLastIoSecondsAgo());
    assertEquals(999L, info.replicationOffset());
    assertTrue(info.replicas().isEmpty());
  }

  @Test
  void toleratesGarbage() {
    RedisInfo info = InfoParser.parse("nonsense\n:\nrole\nslave0:ip\nmaster_repl_offset:abc\n");
    assertEquals(InstanceRole.UNKNOWN, info.role());
    assertNull(info.replicationOffset());
    assertEquals(1, info.replicas().size());
    assertEquals(-1, info.replicas().get(0).lagSeconds());
  }
}
