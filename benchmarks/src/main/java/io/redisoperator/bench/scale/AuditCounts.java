package io.redisoperator.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.sandbox.operator.OperatorAccount;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
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
  private static final Set<String> WRITES =
      Set.of("create", "update", "patch", "delete", "deletecollection");

  static AuditCounts read(Path auditLog, Instant from, Instant to) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(auditLog)) {
      return count(reader.lines(), from, to);
    }
  }

  static AuditCounts count(java.util.stream.Stream<String> lines, Instant from, Instant to) {
    long[] leases = {0};
    long[] others = {0};
    Map<String, Long> byResource = new TreeMap<>();
    lines.forEach(
        line -> {
          JsonNode event;
          try {
            event = Json.mapper().readTree(line);
          } catch (IOException e) {
            return; // a line cut by rotation
          }
          if (!CONTROLLER_USER.equals(event.path("user").path("username").asText())
              || !WRITES.contains(event.path("verb").asText())
              || !"ResponseComplete".equals(event.path("stage").asText())) {
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
