package io.redisoperator.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where each cluster's start-up went, from the API server's audit log: when the controller created
 * its first object, when the fleet reported its first primary pod ({@code -0}) Running, when the
 * controller created its replica pods, and when the fleet reported the last of them Running; each
 * in seconds from the first RedisCluster created. Their medians and maxima say which step the time
 * to all Healthy waits on.
 */
record StartUpTimeline(List<Stage> stages) {
  /** One step: its median and latest time over the clusters that reached it. */
  record Stage(String name, double medianSeconds, double maxSeconds, int clusters) {}

  private static final Pattern CLUSTER_OBJECT = Pattern.compile("^(c\\d{4})(?:-.*)?$");

  /** What is known of one cluster's start-up; null: not seen. */
  private static final class Times {
    Instant firstObject;
    Instant primaryRunning;
    Instant replicasCreated;
    Instant replicasRunning;
  }

  static StartUpTimeline read(Path auditLog, String namespace, Instant start) throws IOException {
    return AuditEvents.read(auditLog, events -> ofEvents(events, namespace, start));
  }

  static StartUpTimeline of(Stream<String> lines, String namespace, Instant start) {
    return ofEvents(AuditEvents.completed(lines), namespace, start);
  }

  private static StartUpTimeline ofEvents(
      Stream<JsonNode> events, String namespace, Instant start) {
    Map<String, Times> clusters = new HashMap<>();
    events.forEach(
        event -> {
          JsonNode ref = event.path("objectRef");
          if (!namespace.equals(ref.path("namespace").asText())
              || event.path("responseStatus").path("code").asInt() >= 300) {
            return;
          }
          String name = ref.path("name").asText("");
          Matcher m = CLUSTER_OBJECT.matcher(name);
          if (!m.matches() || name.equals(m.group(1))) {
            return; // not a cluster's object, or the RedisCluster itself
          }
          Instant at = Instant.parse(event.path("requestReceivedTimestamp").asText());
          Times t = clusters.computeIfAbsent(m.group(1), k -> new Times());
          boolean controller =
              AuditCounts.CONTROLLER_USER.equals(event.path("user").path("username").asText());
          String verb = event.path("verb").asText();
          boolean pod = "pods".equals(ref.path("resource").asText());
          boolean podStatus = pod && "status".equals(ref.path("subresource").asText());
          boolean primaryPod = name.equals(m.group(1) + "-0");
          if (controller && "create".equals(verb)) {
            t.firstObject = earliest(t.firstObject, at);
            if (pod && !primaryPod) {
              t.replicasCreated = earliest(t.replicasCreated, at);
            }
          } else if (!controller && podStatus && "patch".equals(verb)) {
            // The fleet reports a pod Running (its first status of a pod, a patch; it writes a
            // status back, after the node lifecycle controller marked the pod not Ready, with an
            // update).
            if (primaryPod) {
              t.primaryRunning = earliest(t.primaryRunning, at);
            } else if (t.replicasRunning == null || at.isAfter(t.replicasRunning)) {
              t.replicasRunning = at;
            }
          }
        });
    List<Stage> stages = new ArrayList<>();
    stages.add(stage("objects", clusters, t -> t.firstObject, start));
    stages.add(stage("primary_running", clusters, t -> t.primaryRunning, start));
    stages.add(stage("replicas_created", clusters, t -> t.replicasCreated, start));
    stages.add(stage("replicas_running", clusters, t -> t.replicasRunning, start));
    return new StartUpTimeline(stages);
  }

  private static Instant earliest(Instant known, Instant at) {
    return known == null || at.isBefore(known) ? at : known;
  }

  private static Stage stage(
      String name, Map<String, Times> clusters, Function<Times, Instant> when, Instant start) {
    List<Double> seconds = new ArrayList<>();
    for (Times t : clusters.values()) {
      Instant at = when.apply(t);
      if (at != null) {
        seconds.add(Duration.between(start, at).toMillis() / 1000.0);
      }
    }
    if (seconds.isEmpty()) {
      return new Stage(name, -1, -1, 0);
    }
    Collections.sort(seconds);
    return new Stage(
        name,
        seconds.get((seconds.size() - 1) / 2),
        seconds.get(seconds.size() - 1),
        seconds.size());
  }

  /** One {@code scale-start-up-timeline:} line. */
  String format() {
    StringBuilder line = new StringBuilder("scale-start-up-timeline:");
    for (Stage s : stages) {
      line.append(
          String.format(
              Locale.ROOT,
              " %s_p50_s=%.1f %s_max_s=%.1f",
              s.name(),
              s.medianSeconds(),
              s.name(),
              s.maxSeconds()));
    }
    return line.toString();
  }
}
