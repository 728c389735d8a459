package io.redisoperator.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisoperator.sandbox.operator.OperatorAccount;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The controller's writes at the API server in a time window, from the audit log (Lease renewals
 * apart).
 */
record AuditCounts(long nonLeaseWrites, long leaseWrites, Map<String, Long> byResource) {
  static final String CONTROLLER_USER =
      "system:serviceaccount:" + OperatorAccount.NAMESPACE + ":" + OperatorAccount.NAME;
  static final Set<String> WRITES =
      Set.of("create", "update", "patch", "delete", "deletecollection");

  static AuditCounts read(Path auditLog, Instant from, Instant to) throws IOException {
    return AuditEvents.read(auditLog, events -> countEvents(events, from, to));
  }

  static AuditCounts count(java.util.stream.Stream<String> lines, Instant from, Instant to) {
    return countEvents(AuditEvents.completed(lines), from, to);
  }

  private static AuditCounts countEvents(
      java.util.stream.Stream<JsonNode> events, Instant from, Instant to) {
    long[] leases = {0};
    long[] others = {0};
    Map<String, Long> byResource = new TreeMap<>();
    events.forEach(
        event -> {
          if (!CONTROLLER_USER.equals(event.path("user").path("username").asText())
              || !WRITES.contains(event.path("verb").asText())) {
            return;
          }
          Instant at = Instant.parse(event.path("requestReceivedTimestamp").asText());
          if (at.isBefore(from) || !at.isBefore(to)) {
            return;
          }
          String resource = event.path("objectRef").path("resource").asText();
          String sub = event.path("objectRef").path("subresource").asText("");
          byResource.merge(
              event.path("verb").asText() + " " + resource + (sub.isEmpty() ? "" : "/" + sub),
              1L,
              Long::sum);
          if ("leases".equals(resource)) {
            leases[0]++;
          } else {
            others[0]++;
          }
        });
    return new AuditCounts(others[0], leases[0], byResource);
  }
}
