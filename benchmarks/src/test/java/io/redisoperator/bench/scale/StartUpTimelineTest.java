package io.redisoperator.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class StartUpTimelineTest {
  private static final Instant START = Instant.parse("2026-12-05T10:00:00Z");
  private static final String FLEET = "sandbox-admin";

  private static String event(
      String user, String verb, String resource, String sub, String name, double atSeconds) {
    return """
        {"stage":"ResponseComplete","verb":"%s","user":{"username":"%s"},\
        "objectRef":{"namespace":"scale","resource":"%s"%s,"name":"%s"},\
        "responseStatus":{"code":200},"requestReceivedTimestamp":"%s"}"""
        .formatted(
            verb,
            user,
            resource,
            sub == null ? "" : ",\"subresource\":\"" + sub + "\"",
            name,
            START.plusMillis((long) (atSeconds * 1000)));
  }

  @Test
  void eachClustersStepsFromTheAuditLog() {
    String op = AuditCounts.CONTROLLER_USER;
    StartUpTimeline timeline =
        StartUpTimeline.of(
            Stream.of(
                event(FLEET, "create", "redisclusters", null, "c0000", 0.1),
                event(op, "update", "redisclusters", "status", "c0000", 1),
                event(op, "create", "secrets", null, "c0000-auth", 2),
                event(op, "create", "pods", null, "c0000-0", 3),
                event(FLEET, "patch", "pods", "status", "c0000-0", 4),
                event(op, "create", "pods", null, "c0000-1", 6),
                event(op, "create", "pods", null, "c0000-2", 6.5),
                event(FLEET, "patch", "pods", "status", "c0000-2", 9),
                event(FLEET, "patch", "pods", "status", "c0000-1", 10),
                event(op, "create", "secrets", null, "c0001-auth", 5),
                event(FLEET, "patch", "pods", "status", "c0001-0", 7),
                "not json, a line cut by rotation"),
            "scale",
            START);
    assertEquals(
        "scale-start-up-timeline: objects_p50_s=2.0 objects_max_s=5.0 primary_running_p50_s=4.0"
            + " primary_running_max_s=7.0 replicas_created_p50_s=6.0 replicas_created_max_s=6.0"
            + " replicas_running_p50_s=10.0 replicas_running_max_s=10.0",
        timeline.format());
  }
}
