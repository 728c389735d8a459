package io.redisoperator.agent.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.redis.InfoParser;
import io.redisoperator.agent.redis.RedisInfo;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private static final long MAX_LAG = 10;

  private static RedisInfo replica(String... fields) {
    return InfoParser.parse(
        "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\n"
            + String.join("\r\n", fields)
            + "\r\n");
  }

  @Test
  void aPrimaryIsReadyWhileRedisAnswers() {
    assertEquals(
        Optional.empty(),
        Readiness.notReadyReason(InfoParser.parse("# Replication\r\nrole:master\r\n"), MAX_LAG));
    assertTrue(Readiness.notReadyReason(null, MAX_LAG).isPresent());
  }

  @Test
  void aLinkedReplicaIsReadyWhileItHearsItsPrimary() {
    assertEquals(
        Optional.empty(),
        Readiness.notReadyReason(
            replica(
                "master_link_status:up",
                "master_last_io_seconds_ago:1",
                "master_sync_in_progress:0"),
            MAX_LAG));
    assertTrue(
        Readiness.notReadyReason(
                replica(
                    "master_link_status:up",
                    "master_last_io_seconds_ago:11",
                    "master_sync_in_progress:0"),
                MAX_LAG)
            .isPresent());
  }

  @Test
  void aReplicaWhosePrimaryJustDiedStaysReadySoItCanBeRoutedToOncePromoted() {
    assertEquals(
        Optional.empty(),
        Readiness.notReadyReason(
            replica(
                "master_link_status:down",
                "master_sync_in_progress:0",
                "master_link_down_since_seconds:2"),
            MAX_LAG));
    assertEquals(
        Optional.of("replication link to the primary is down for 11 s"),
        Readiness.notReadyReason(
            replica(
                "master_link_status:down",
                "master_sync_in_progress:0",
                "master_link_down_since_seconds:11"),
            MAX_LAG));
  }

  @Test
  void aReplicaThatNeverLinkedOrIsStillSyncingIsNotReady() {
    assertTrue(
        Readiness.notReadyReason(
                replica(
                    "master_link_status:down",
                    "master_sync_in_progress:0",
                    "master_link_down_since_seconds:-1"),
                MAX_LAG)
            .isPresent());
    assertTrue(
        Readiness.notReadyReason(
                replica("master_link_status:down", "master_sync_in_progress:0"), MAX_LAG)
            .isPresent());
    assertEquals(
        Optional.of("initial sync in progress"),
        Readiness.notReadyReason(
            replica(
                "master_link_status:down",
                "master_sync_in_progress:1",
                "master_link_down_since_seconds:1"),
            MAX_LAG));
  }

  @org.junit.jupiter.api.Test
  void notBeforeTheFirstAclPassButARefusedOneCounts() {
    io.redisoperator.agent.redis.RedisInfo primary =
        InfoParser.parse("# Replication\r\nrole:master\r\n");
    assertTrue(
        Readiness.notReadyReason(
                primary, MAX_LAG, new io.redisoperator.protocol.acl.AclStatus(-1, null))
            .isPresent());
    assertEquals(
        Optional.empty(),
        Readiness.notReadyReason(
            primary, MAX_LAG, new io.redisoperator.protocol.acl.AclStatus(3, null)));
    assertEquals(
        Optional.empty(),
        Readiness.notReadyReason(
            primary, MAX_LAG, new io.redisoperator.protocol.acl.AclStatus(-1, "refused")));
    assertEquals(Optional.empty(), Readiness.notReadyReason(primary, MAX_LAG, null));
  }
}
