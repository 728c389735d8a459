package io.redisoperator.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How the API server served one phase's writes in a namespace, from its audit log: the Service
 * creates' latency and how many were in flight, how busy the cluster IP allocator was meanwhile
 * (the API server allocates a Service's cluster IP by creating an IPAddress object, one at a time:
 * its allocator holds a lock across that create), the other writes' latency, and the time the
 * writes waited in API Priority and Fairness queues (the {@code apf-queue-wait} annotation).
 */
record ServiceCreates(
    String phase,
    int services,
    double serviceP50Ms,
    double serviceP99Ms,
    double servicesInFlight,
    double ipAllocatorBusy,
    double ipCreateP50Ms,
    double otherWritesP50Ms,
    double apfWaitP99Ms,
    double apfWaitMaxMs) {

  private static final String IP_ALLOCATOR = "system:apiserver";
  private static final Pattern DURATION = Pattern.compile("([0-9.]+)(ns|µs|us|ms|m|s|h)");

  static ServiceCreates read(Path auditLog, String phase, String namespace, String writer)
      throws IOException {
    return AuditEvents.read(auditLog, events -> ofEvents(events, phase, namespace, writer));
  }

  static ServiceCreates of(Stream<String> lines, String phase, String namespace, String writer) {
    return ofEvents(AuditEvents.completed(lines), phase, namespace, writer);
  }

  private record Span(Instant from, Instant to) {
    double millis() {
      return Duration.between(from, to).toNanos() / 1e6;
    }
  }

  private static ServiceCreates ofEvents(
      Stream<JsonNode> events, String phase, String namespace, String writer) {
    List<Span> services = new ArrayList<>();
    List<Span> ipCreates = new ArrayList<>();
    List<Double> others = new ArrayList<>();
    List<Double> apfWaits = new ArrayList<>();
    events.forEach(
        event -> {
          JsonNode ref = event.path("objectRef");
          String verb = event.path("verb").asText();
          String user = event.path("user").path("username").asText();
          Span span =
              new Span(
                  Instant.parse(event.path("requestReceivedTimestamp").asText()),
                  Instant.parse(event.path("stageTimestamp").asText()));
          if ("ipaddresses".equals(ref.path("resource").asText())
              && "create".equals(verb)
              && IP_ALLOCATOR.equals(user)) {
            ipCreates.add(span);
            return;
          }
          if (!namespace.equals(ref.path("namespace").asText())
              || !writer.equals(user)
              || !AuditCounts.WRITES.contains(verb)) {
            return;
          }
          apfWaits.add(
              millis(
                  event
                      .path("annotations")
                      .path("apiserver.latency.k8s.io/apf-queue-wait")
                      .asText()));
          if ("services".equals(ref.path("resource").asText()) && "create".equals(verb)) {
            services.add(span);
          } else {
            others.add(span.millis());
          }
        });
    if (services.isEmpty()) {
      return new ServiceCreates(phase, 0, -1, -1, -1, -1, -1, percentile(others, 50), -1, -1);
    }
    Instant from = services.stream().map(Span::from).min(Instant::compareTo).orElseThrow();
    Instant to = services.stream().map(Span::to).max(Instant::compareTo).orElseThrow();
    double window = new Span(from, to).millis();
    List<Span> ipInWindow =
        ipCreates.stream().filter(s -> !s.from().isBefore(from) && !s.to().isAfter(to)).toList();
    return new ServiceCreates(
        phase,
        services.size(),
        percentile(services.stream().map(Span::millis).toList(), 50),
        percentile(services.stream().map(Span::millis).toList(), 99),
        services.stream().mapToDouble(Span::millis).sum() / window,
        ipInWindow.stream().mapToDouble(Span::millis).sum() / window,
        percentile(ipInWindow.stream().map(Span::millis).toList(), 50),
        percentile(others, 50),
        percentile(apfWaits, 99),
        apfWaits.stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }

  /** A Go duration as the API server writes it ({@code 29.8µs}, {@code 1.2s}); 0 when absent. */
  static double millis(String goDuration) {
    Matcher m = DURATION.matcher(goDuration);
    double total = 0;
    while (m.find()) {
      double value = Double.parseDouble(m.group(1));
      total +=
          switch (m.group(2)) {
            case "ns" -> value / 1e6;
            case "µs", "us" -> value / 1e3;
            case "ms" -> value;
            case "m" -> value * 60_000;
            case "h" -> value * 3_600_000;
            default -> value * 1e3;
          };
    }
    return total;
  }

  private static double percentile(List<Double> values, int percentile) {
    if (values.isEmpty()) {
      return -1;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100));
  }

  /** One {@code scale-service-creates:} line. */
  String format() {
    return String.format(
        Locale.ROOT,
        "scale-service-creates: phase=%s services=%d service_create_p50_ms=%.0f"
            + " service_create_p99_ms=%.0f services_in_flight=%.1f ip_allocator_busy=%.2f"
            + " ip_create_p50_ms=%.1f other_writes_p50_ms=%.0f apf_wait_p99_ms=%.1f"
            + " apf_wait_max_ms=%.1f",
        phase,
        services,
        serviceP50Ms,
        serviceP99Ms,
        servicesInFlight,
        ipAllocatorBusy,
        ipCreateP50Ms,
        otherWritesP50Ms,
        apfWaitP99Ms,
        apfWaitMaxMs);
  }
}
