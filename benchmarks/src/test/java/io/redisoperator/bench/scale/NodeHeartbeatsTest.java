package io.redisoperator.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class NodeHeartbeatsTest {
  private static final Instant START = Instant.parse("2026-12-06T00:30:00Z");
  private static final String FLEET = "sandbox-admin";

  private static String event(
      String user,
      String verb,
      String namespace,
      String resource,
      String sub,
      String name,
      double atSeconds) {
    return """
        {"stage":"ResponseComplete","verb":"%s","user":{"username":"%s"},\
        "objectRef":{"namespace":"%s","resource":"%s"%s,"name":"%s"},\
        "responseStatus":{"code":200},"requestReceivedTimestamp":"%s"}"""
        .formatted(
            verb,
            user,
            namespace,
            resource,
            sub == null ? "" : ",\"subresource\":\"" + sub + "\"",
            name,
            START.plusMillis((long) (atSeconds * 1000)));
  }

  private static String renewal(String node, double at) {
    return event(FLEET, "patch", "kube-node-lease", "leases", null, node, at);
  }

  @Test
  void healthyNodesRenewEveryTenSecondsAndNobodyElseWritesTheirPods() {
    NodeHeartbeats nodes =
        NodeHeartbeats.of(
            Stream.of(
                renewal("fleet-node-1", 0),
                renewal("fleet-node-2", 1),
                renewal("fleet-node-1", 10),
                renewal("fleet-node-2", 11.5),
                event(FLEET, "patch", "scale", "pods", "status", "c0000-0", 12),
                renewal("fleet-node-1", 20),
                renewal("fleet-node-2", 21)),
            START.plusSeconds(25));
    assertEquals(new NodeHeartbeats(10.5, 0, 0), nodes);
  }

  @Test
  void lateRenewalsAndTheNodeControllersMarksAreCounted() {
    String nc = NodeHeartbeats.NODE_CONTROLLER_USER;
    NodeHeartbeats nodes =
        NodeHeartbeats.of(
            Stream.of(
                renewal("fleet-node-1", 0),
                renewal("fleet-node-2", 1),
                renewal("fleet-node-2", 11),
                renewal("fleet-node-1", 31), // 31 s late
                event(nc, "update", null, "nodes", "status", "fleet-node-1", 45),
                event(nc, "patch", null, "nodes", null, "fleet-node-2", 45), // a taint: not counted
                event(nc, "update", "scale", "pods", "status", "c0000-1", 46),
                event(nc, "update", "scale", "pods", "status", "c0000-1", 50),
                event(nc, "update", "scale", "pods", "status", "c0001-2", 46),
                event(FLEET, "update", "scale", "pods", "status", "c0000-1", 52),
                renewal("fleet-node-2", 21),
                renewal("fleet-node-1", 41),
                renewal("fleet-node-2", 31),
                renewal("fleet-node-2", 41),
                "not json, a line cut by rotation"),
            START.plusSeconds(44));
    assertEquals(new NodeHeartbeats(31.0, 1, 2), nodes);
  }
}
