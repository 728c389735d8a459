package io.redisoperator.sandbox.controlplane;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the API server's audit log (one JSON event per line) for requests it refused. */
public final class AuditLog {
  private final Path file;

  public AuditLog(Path file) {
    this.file = file;
  }

  /** A refused request: who, what, and the API server's answer. */
  public record Refusal(int code, String user, String verb, String uri, String message) {
    @Override
    public String toString() {
      return code + " " + user + " " + verb + " " + uri + ": " + message;
    }
  }

  /**
   * Requests answered 401 (unauthenticated: no user) or 403 whose user is a service account outside
   * kube-system: the operator's and the agents' requests, not the control plane's own start-up
   * races.
   */
  public List<Refusal> refusedWorkloadRequests() {
    return refusedWorkloadRequestsBefore(Instant.MAX);
  }

  /** {@link #refusedWorkloadRequests()} received before {@code until}. */
  public List<Refusal> refusedWorkloadRequestsBefore(Instant until) {
    return refusedWorkloadRequests(received -> received.isBefore(until));
  }

  /** {@link #refusedWorkloadRequests()} received at a moment {@code counted} accepts. */
  public List<Refusal> refusedWorkloadRequests(java.util.function.Predicate<Instant> counted) {
    List<Refusal> refused = new ArrayList<>();
    if (!Files.exists(file)) {
      return refused;
    }
    try (Stream<String> lines = Files.lines(file)) {
      lines.forEach(
          line -> {
            Map<?, ?> event = Serialization.unmarshal(line, Map.class);
            Map<?, ?> status = (Map<?, ?>) event.get("responseStatus");
            int code =
                status == null || status.get("code") == null
                    ? 0
                    : ((Number) status.get("code")).intValue();
            Map<?, ?> user = (Map<?, ?>) event.get("user");
            String name =
                user == null || user.get("username") == null ? "" : user.get("username").toString();
            boolean workload =
                name.startsWith("system:serviceaccount:")
                    && !name.startsWith("system:serviceaccount:kube-system:");
            Object received = event.get("requestReceivedTimestamp");
            boolean inTime = received == null || counted.test(Instant.parse(received.toString()));
            if (inTime && (code == 401 || (code == 403 && workload))) {
              refused.add(
                  new Refusal(
                      code,
                      name,
                      String.valueOf(event.get("verb")),
                      String.valueOf(event.get("requestURI")),
                      String.valueOf(status.get("message"))));
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return refused;
  }
}
