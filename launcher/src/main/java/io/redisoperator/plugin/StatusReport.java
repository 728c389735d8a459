package io.redisoperator.plugin;

import io.fabric8.kubernetes.api.model.Event;
import io.redisoperator.protocol.crd.Condition;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Annotations;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Pure: the text of {@code kubectl redis status}: primary, each pod, fences, last backup,
 * conditions, recent events.
 */
final class StatusReport {
  private StatusReport() {}

  static String render(RedisCluster cluster, List<RedisBackup> backups, List<Event> events) {
    StringBuilder out = new StringBuilder();
    RedisClusterStatus s =
        cluster.getStatus() == null ? new RedisClusterStatus() : cluster.getStatus();
    String ns = cluster.getMetadata().getNamespace();
    out.append("Cluster:   ")
        .append(ns)
        .append('/')
        .append(cluster.getMetadata().getName())
        .append("  (")
        .append(cluster.getSpec().getInstances())
        .append(" instances, mode ")
        .append(cluster.getSpec().getMode().name().toLowerCase())
        .append(")\n");
    out.append("Phase:     ")
        .append(s.getPhase() == null ? "-" : s.getPhase())
        .append(s.getPhaseReason() == null ? "" : " (" + s.getPhaseReason() + ")")
        .append('\n');
    out.append("Primary:   ")
        .append(or(s.getCurrentPrimary()))
        .append(
            Objects.equals(s.getTargetPrimary(), s.getCurrentPrimary())
                    || s.getTargetPrimary() == null
                ? ""
                : "  -> switching to " + s.getTargetPrimary())
        .append('\n');
    out.append("Ready:     ")
        .append(s.getReadyInstances() == null ? 0 : s.getReadyInstances())
        .append('/')
        .append(cluster.getSpec().getInstances())
        .append('\n');
    Map<String, String> annotations =
        cluster.getMetadata().getAnnotations() == null
            ? Map.of()
            : cluster.getMetadata().getAnnotations();
    List<String> userFenced = FenceList.list(annotations.get(Annotations.FENCED_INSTANCES));
    out.append("Fenced:    ")
        .append(
            s.getFencedInstances() == null || s.getFencedInstances().isEmpty()
                ? "-"
                : String.join(", ", s.getFencedInstances()))
        .append(userFenced.isEmpty() ? "" : "  (by hand: " + String.join(", ", userFenced) + ")")
        .append('\n');
    if (annotations.containsKey(Annotations.HIBERNATION)) {
      out.append("Hibernation: ").append(annotations.get(Annotations.HIBERNATION)).append('\n');
    }
    out.append("\nPOD")
        .append(pad("POD", 19))
        .append("ROLE      READY  REDIS  LINK   LAG(BYTES)  FENCED  LAST SEEN\n");
    if (s.getInstancesStatus() != null) {
      s.getInstancesStatus().forEach((pod, e) -> out.append(row(pod, e)).append('\n'));
    }
    out.append("\nLast backup: ").append(lastBackup(backups)).append('\n');
    out.append("\nConditions:\n");
    if (s.getConditions() == null || s.getConditions().isEmpty()) {
      out.append("  -\n");
    } else {
      for (Condition c : s.getConditions()) {
        out.append("  ")
            .append(c.getType())
            .append('=')
            .append(c.getStatus())
            .append(c.getReason() == null ? "" : " " + c.getReason())
            .append(c.getMessage() == null ? "" : ": " + c.getMessage())
            .append('\n');
      }
    }
    out.append("\nRecent events:\n");
    List<Event> recent =
        events.stream()
            .sorted(
                Comparator.comparing(
                    StatusReport::when, Comparator.nullsFirst(Comparator.naturalOrder())))
            .skip(Math.max(0, events.size() - 10))
            .toList();
    if (recent.isEmpty()) {
      out.append("  -\n");
    }
    for (Event e : recent) {
      out.append("  ")
          .append(or(when(e)))
          .append("  ")
          .append(or(e.getType()))
          .append("  ")
          .append(or(e.getReason()))
          .append("  ")
          .append(or(e.getMessage()))
          .append('\n');
    }
    return out.toString();
  }

  private static String row(String pod, InstanceStatusEntry e) {
    String role = e.getRole() == null ? "unknown" : e.getRole().name().toLowerCase();
    return pod
        + pad(pod, 19)
        + role
        + pad(role, 10)
        + yes(e.getReady())
        + pad(yes(e.getReady()), 7)
        + yes(e.getRedisUp())
        + pad(yes(e.getRedisUp()), 7)
        + yes(e.getLinkUp())
        + pad(yes(e.getLinkUp()), 7)
        + or(e.getLagBytes())
        + pad(or(e.getLagBytes()), 12)
        + yes(e.getFenced())
        + pad(yes(e.getFenced()), 8)
        + or(e.getLastSeen());
  }

  private static String lastBackup(List<RedisBackup> backups) {
    return backups.stream()
        .filter(b -> b.getStatus() != null)
        .max(
            Comparator.comparing(
                (RedisBackup b) ->
                    or(
                        b.getStatus().getStoppedAt() != null
                            ? b.getStatus().getStoppedAt()
                            : b.getStatus().getStartedAt())))
        .map(
            b ->
                b.getMetadata().getName()
                    + " "
                    + b.getStatus().getPhase()
                    + (b.getStatus().getStoppedAt() == null
                        ? ""
                        : " at " + b.getStatus().getStoppedAt())
                    + (b.getStatus().getError() == null ? "" : ": " + b.getStatus().getError()))
        .orElse("none");
  }

  private static String when(Event e) {
    return e.getLastTimestamp() != null
        ? e.getLastTimestamp()
        : e.getEventTime() != null ? e.getEventTime().getTime() : null;
  }

  private static String yes(Boolean b) {
    return b == null ? "-" : b ? "yes" : "no";
  }

  private static String or(Object v) {
    return v == null ? "-" : v.toString();
  }

  private static String pad(String shown, int width) {
    return " ".repeat(Math.max(1, width - shown.length()));
  }
}
