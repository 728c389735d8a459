package io.redisoperator.controller.backup;

import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.Condition;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisBackupSpec;
import io.redisoperator.protocol.crd.RedisScheduledBackup;
import io.redisoperator.protocol.crd.RedisScheduledBackupSpec;
import io.redisoperator.protocol.crd.RedisScheduledBackupStatus;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.Labels;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Drives every RedisScheduledBackup: on each tick {@link SchedulePlanner} says whether a backup is
 * due; if so a RedisBackup {@code <schedule>-<yyyyMMddHHmm>} is created (the name makes a repeated
 * create harmless), and the status records the run, the next run and whether the schedule is valid.
 * {@link HistoryPlanner} then trims the schedule's backups. One API call chain per schedule at a
 * time, never waited on.
 */
public final class ScheduleActor extends AbstractBehavior<ScheduleActor.Command> {
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  public sealed interface Command {}

  public enum Changed implements Command {
    INSTANCE
  }

  private enum Tick implements Command {
    INSTANCE
  }

  private record Done(String key, Throwable error) implements Command {}

  private final BackupDeps deps;
  private final Set<String> busy = new HashSet<>();

  /** schedule expression and time zone → longest gap between runs. */
  private final Map<String, Optional<Duration>> intervals = new HashMap<>();

  public static Behavior<Command> create(BackupDeps deps) {
    return deps.polling(Tick.INSTANCE, context -> new ScheduleActor(context, deps));
  }

  private ScheduleActor(ActorContext<Command> context, BackupDeps deps) {
    super(context);
    this.deps = deps;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Changed.class, m -> reconcile())
        .onMessage(Tick.class, m -> reconcile())
        .onMessage(
            Done.class,
            m -> {
              busy.remove(m.key());
              if (m.error() != null) {
                getContext()
                    .getLog()
                    .warn("scheduled backup {}: {}", m.key(), m.error().toString());
              }
              return this;
            })
        .build();
  }

  private Behavior<Command> reconcile() {
    List<RedisBackup> backups = deps.informers().backups();
    Set<String> active = new HashSet<>();
    for (RedisScheduledBackup s : deps.informers().schedules()) {
      String key = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
      expectation(s)
          .ifPresent(
              e -> {
                active.add(key);
                deps.metrics()
                    .schedule(
                        s.getMetadata().getNamespace(),
                        s.getMetadata().getName(),
                        s.getSpec().getCluster().getName(),
                        e);
              });
      if (!busy.contains(key) && s.getMetadata().getDeletionTimestamp() == null) {
        busy.add(key);
        step(s, ownBackups(s, backups))
            .whenComplete((r, e) -> getContext().getSelf().tell(new Done(key, e)));
      }
    }
    deps.metrics().retainSchedules(active);
    return this;
  }

  /**
   * What an active (valid, not suspended, not being deleted) schedule promises; empty otherwise.
   */
  private Optional<BackupMetrics.ScheduleExpectation> expectation(RedisScheduledBackup s) {
    RedisScheduledBackupSpec spec = s.getSpec();
    if (spec == null
        || spec.getCluster() == null
        || spec.getCluster().getName() == null
        || Boolean.TRUE.equals(spec.getSuspend())
        || s.getMetadata().getCreationTimestamp() == null
        || s.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    if (intervals.size() > 256) {
      intervals.clear(); // edited expressions would otherwise pile up
    }
    // The gap depends only on the expression and zone (a year ahead covers every DST pattern):
    // computed once.
    Optional<Duration> interval =
        intervals.computeIfAbsent(
            spec.getSchedule() + "\u0000" + spec.getTimeZone(),
            k ->
                SchedulePlanner.longestInterval(
                    spec.getSchedule(), spec.getTimeZone(), deps.clock().instant()));
    return interval.map(
        i ->
            new BackupMetrics.ScheduleExpectation(
                i.toSeconds(),
                Instant.parse(s.getMetadata().getCreationTimestamp()).getEpochSecond()));
  }

  private CompletionStage<?> step(RedisScheduledBackup s, List<RedisBackup> own) {
    Instant now = deps.clock().instant();
    RedisScheduledBackupStatus status =
        s.getStatus() == null ? new RedisScheduledBackupStatus() : s.getStatus();
    Instant last = parse(status.getLastScheduleTime());
    SchedulePlanner.Plan plan =
        SchedulePlanner.plan(s.getSpec(), last, parse(s.getMetadata().getCreationTimestamp()), now);
    String lastScheduleTime =
        plan.due() != null ? BackupStatusPatch.time(plan.due()) : status.getLastScheduleTime();
    String backupName =
        plan.create() ? s.getMetadata().getName() + "-" + NAME_TIME.format(plan.due()) : null;
    List<Condition> conditions =
        Conditions.set(
            status.getConditions(),
            ConditionType.SCHEDULE_VALID,
            plan.valid() ? ConditionStatus.TRUE : ConditionStatus.FALSE,
            plan.reason(),
            plan.message(),
            s.getMetadata().getGeneration(),
            now);
    Map<String, Object> desired = new LinkedHashMap<>();
    desired.put("lastScheduleTime", lastScheduleTime);
    desired.put(
        "nextScheduleTime", plan.next() == null ? null : BackupStatusPatch.time(plan.next()));
    desired.put("lastBackupName", backupName != null ? backupName : status.getLastBackupName());
    desired.put(
        "lastSuccessfulBackupName",
        lastSuccessful(own).orElse(status.getLastSuccessfulBackupName()));
    desired.put("conditions", conditions);
    CompletionStage<?> created =
        backupName == null ? CompletableFuture.completedFuture(null) : createBackup(s, backupName);
    boolean statusChanged =
        !Objects.equals(lastScheduleTime, status.getLastScheduleTime())
            || !Objects.equals(desired.get("nextScheduleTime"), status.getNextScheduleTime())
            || !Objects.equals(desired.get("lastBackupName"), status.getLastBackupName())
            || !Objects.equals(
                desired.get("lastSuccessfulBackupName"), status.getLastSuccessfulBackupName())
            || !conditions.equals(status.getConditions());
    // Explicit JSON: a null (nextScheduleTime while suspended) must reach the merge patch to clear
    // the field.
    com.fasterxml.jackson.databind.node.ObjectNode root =
        io.redisoperator.protocol.json.Json.mapper().createObjectNode();
    com.fasterxml.jackson.databind.node.ObjectNode statusNode = root.putObject("status");
    desired.forEach(
        (field, value) -> {
          if (value == null) {
            statusNode.putNull(field);
          } else {
            statusNode.set(field, io.redisoperator.protocol.json.Json.mapper().valueToTree(value));
          }
        });
    String patch = root.toString();
    return created
        .thenCompose(
            v ->
                statusChanged
                    ? deps.kube()
                        .mergePatchStatus(
                            RedisScheduledBackup.class,
                            s.getMetadata().getNamespace(),
                            s.getMetadata().getName(),
                            patch)
                    : CompletableFuture.completedFuture(null))
        .thenCompose(v -> trimHistory(s, own, now));
  }

  private CompletionStage<?> createBackup(RedisScheduledBackup s, String name) {
    RedisScheduledBackupSpec spec = s.getSpec();
    RedisBackup b = new RedisBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(s.getMetadata().getNamespace());
    Map<String, String> labels = Labels.forCluster(spec.getCluster().getName());
    labels.put(Labels.SCHEDULED_BACKUP, s.getMetadata().getName());
    b.getMetadata().setLabels(labels);
    RedisBackupSpec bs = b.getSpec();
    bs.setCluster(spec.getCluster());
    bs.setMethod(spec.getMethod());
    bs.setTarget(spec.getTarget());
    bs.setDestination(spec.getDestination());
    bs.setDeletionPolicy(spec.getDeletionPolicy());
    deps.kube().event(s, EventReason.BACKUP_SCHEDULED, "Schedule", "created RedisBackup " + name);
    return deps.kube()
        .create(b)
        .exceptionally(
            e -> {
              if (io.redisoperator.controller.kube.KubeGateway.isCode(e, 409)) {
                return b; // created by an earlier attempt: the run is not repeated
              }
              throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
            });
  }

  private CompletionStage<?> trimHistory(
      RedisScheduledBackup s, List<RedisBackup> own, Instant now) {
    RedisScheduledBackupSpec spec = s.getSpec();
    Duration retention;
    try {
      retention = HistoryPlanner.parseRetention(spec.getRetention());
    } catch (IllegalArgumentException e) {
      deps.kube().event(s, EventReason.INVALID_RETENTION, "Schedule", e.getMessage());
      retention = null;
    }
    List<HistoryPlanner.Entry> entries =
        own.stream()
            .filter(b -> b.getMetadata().getDeletionTimestamp() == null)
            .map(
                b ->
                    new HistoryPlanner.Entry(
                        b.getMetadata().getName(),
                        BackupAdmission.phase(b),
                        parse(b.getMetadata().getCreationTimestamp()),
                        b.getStatus() == null ? null : parse(b.getStatus().getStoppedAt())))
            .toList();
    List<HistoryPlanner.Deletion> deletions =
        HistoryPlanner.plan(
            entries,
            Optional.ofNullable(spec.getSuccessfulBackupsHistoryLimit())
                .orElse(RedisScheduledBackupSpec.DEFAULT_SUCCESSFUL_HISTORY),
            Optional.ofNullable(spec.getFailedBackupsHistoryLimit())
                .orElse(RedisScheduledBackupSpec.DEFAULT_FAILED_HISTORY),
            retention,
            now);
    CompletionStage<?> chain = CompletableFuture.completedFuture(null);
    for (HistoryPlanner.Deletion d : deletions) {
      RedisBackup b =
          own.stream()
              .filter(x -> x.getMetadata().getName().equals(d.name()))
              .findFirst()
              .orElseThrow();
      chain = chain.thenCompose(v -> delete(s, b, d));
    }
    return chain;
  }

  private CompletionStage<?> delete(
      RedisScheduledBackup s, RedisBackup b, HistoryPlanner.Deletion d) {
    String ns = b.getMetadata().getNamespace();
    CompletionStage<?> objects = CompletableFuture.completedFuture(null);
    if (d.deleteObjects() && b.getStatus() != null && b.getStatus().getObjectKey() != null) {
      Optional<String> secret =
          deps.cache()
              .cluster(ns, b.getSpec().getCluster().getName())
              .flatMap(c -> Optional.ofNullable(c.getSpec().getBackup()))
              .map(x -> x.getCredentialsSecret().getName());
      if (secret.isPresent()) {
        objects =
            deps.store()
                .delete(
                    ns,
                    secret.get(),
                    ObjectKeys.location(
                        b.getSpec().getDestination(), b.getStatus().getObjectKey()));
      }
    }
    return objects.thenCompose(
        v -> {
          deps.kube()
              .event(
                  s,
                  EventReason.BACKUP_PRUNED,
                  "Schedule",
                  "deleted RedisBackup " + b.getMetadata().getName() + ": " + d.reason());
          return deps.kube().delete(RedisBackup.class, ns, b.getMetadata().getName());
        });
  }

  private static List<RedisBackup> ownBackups(RedisScheduledBackup s, List<RedisBackup> all) {
    return all.stream()
        .filter(b -> Objects.equals(b.getMetadata().getNamespace(), s.getMetadata().getNamespace()))
        .filter(
            b ->
                b.getMetadata().getLabels() != null
                    && s.getMetadata()
                        .getName()
                        .equals(b.getMetadata().getLabels().get(Labels.SCHEDULED_BACKUP)))
        .toList();
  }

  private static Optional<String> lastSuccessful(List<RedisBackup> own) {
    return own.stream()
        .filter(
            b ->
                BackupAdmission.phase(b) == BackupPhase.COMPLETED
                    && b.getStatus().getStoppedAt() != null)
        .max(java.util.Comparator.comparing(b -> b.getStatus().getStoppedAt()))
        .map(b -> b.getMetadata().getName());
  }

  private static Instant parse(String time) {
    return time == null ? null : Instant.parse(time);
  }
}
