package io.redisoperator.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether the fleet's nodes stayed healthy in the control plane's eyes, from the audit log: the
 * largest gap between two renewals of a node's Lease as the API server received them (due every 10
 * s; the node lifecycle controller judges a node's heartbeats missed after 50 s), the nodes whose
 * status that controller wrote (it does only to mark a node {@code Unknown}: judged unreachable),
 * and the pods whose status it wrote (it does only to mark them not Ready, the pods of such a
 * node). A pod marked not Ready waits for the fleet to write it back, so the run measured its
 * environment too.
 */
record NodeHeartbeats(
    double leaseGapMaxSeconds, int nodesJudgedUnreachable, int podsMarkedNotReady) {
  static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

  /**
   * The node lifecycle controller's identity (kube-controller-manager with service-account
   * credentials).
   */
  static final String NODE_CONTROLLER_USER = "system:serviceaccount:kube-system:node-controller";

  private static final Set<String> WRITES = Set.of("create", "update", "patch");

  /**
   * Over the whole audit log, until {@code end} (a node whose renewals stopped counts up to it).
   */
  static NodeHeartbeats read(Path auditLog, Instant end) throws IOException {
    return AuditEvents.read(auditLog, events -> ofEvents(events, end));
  }

  static NodeHeartbeats of(Stream<String> lines, Instant end) {
    return ofEvents(AuditEvents.completed(lines), end);
  }

  private static NodeHeartbeats ofEvents(Stream<JsonNode> events, Instant end) {
    Map<String, List<Instant>> renewals = new HashMap<>();
    Set<String> unreachable = new HashSet<>();
    Set<String> notReady = new HashSet<>();
    events.forEach(
        event -> {
          JsonNode ref = event.path("objectRef");
          if (!WRITES.contains(event.path("verb").asText())
              || event.path("responseStatus").path("code").asInt() >= 300) {
            return;
          }
          String resource = ref.path("resource").asText();
          String name = ref.path("name").asText();
          boolean status = "status".equals(ref.path("subresource").asText());
          boolean nodeController =
              NODE_CONTROLLER_USER.equals(event.path("user").path("username").asText());
          if ("leases".equals(resource)
              && NODE_LEASE_NAMESPACE.equals(ref.path("namespace").asText())) {
            renewals
                .computeIfAbsent(name, k -> new ArrayList<>())
                .add(Instant.parse(event.path("requestReceivedTimestamp").asText()));
          } else if (nodeController && status && "nodes".equals(resource)) {
            unreachable.add(name);
          } else if (nodeController && status && "pods".equals(resource)) {
            notReady.add(ref.path("namespace").asText() + "/" + name);
          }
        });
    long gapMax = 0;
    for (List<Instant> times : renewals.values()) {
      times.sort(null);
      for (int i = 1; i < times.size(); i++) {
        gapMax = Math.max(gapMax, Duration.between(times.get(i - 1), times.get(i)).toMillis());
      }
      gapMax = Math.max(gapMax, Duration.between(times.get(times.size() - 1), end).toMillis());
    }
    return new NodeHeartbeats(gapMax / 1000.0, unreachable.size(), notReady.size());
  }
}
