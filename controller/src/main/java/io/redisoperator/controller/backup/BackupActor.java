package io.redisoperator.controller.backup;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.AgentCredentialsCache;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.crd.BackupDeletionPolicy;
import io.redisoperator.protocol.crd.BackupMethod;
import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Drives every RedisBackup: Pending until {@link BackupAdmission} lets it start, Running while its
 * agent transfers (asked for progress every poll interval, never waited on), then Completed or
 * Failed as {@link RunningBackupJudge} decides. Every API call, agent call and store deletion is
 * asynchronous and comes back as a message; a backup with one in flight is skipped until it has
 * answered. After a restart the Running backups are found in the cache and followed again (or
 * failed, when their agent no longer knows them).
 */
public final class BackupActor extends AbstractBehavior<BackupActor.Command> {
  public static final String FINALIZER = "redis.io/backup-object";

  public sealed interface Command {}

  /** A RedisBackup changed (or a cluster or pod it depends on): look again. */
  public enum Changed implements Command {
    INSTANCE
  }

  private enum Tick implements Command {
    INSTANCE
  }

  private record Done(String key, String what, Throwable error) implements Command {}

  private record ObjectDeleted(String key, RedisBackup backup, Throwable error)
      implements Command {}

  private record Started(String key, RedisBackup backup, String pod, String podIp, Throwable error)
      implements Command {}

  private record Polled(String key, RedisBackup backup, RunningBackupJudge.Observation seen)
      implements Command {}

  private final BackupDeps deps;
  private final AgentCredentialsCache agentCredentials = new AgentCredentialsCache();
  private final Set<String> busy = new HashSet<>();

  /**
   * Backups (by uid) whose end this process recorded: a cache still showing them Running is not
   * followed again.
   */
  private final Set<String> ended = new HashSet<>();

  /** When each Running backup's agent last answered (or when this process started following it). */
  private final Map<String, Long> lastContact = new HashMap<>();

  /**
   * The last reason a Delete-policy backup's object could not be deleted, so each reason is
   * reported once.
   */
  private final Map<String, String> deleteErrors = new HashMap<>();

  public static Behavior<Command> create(BackupDeps deps) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, deps.pollInterval());
                  return new BackupActor(context, deps);
                }));
  }

  private BackupActor(ActorContext<Command> context, BackupDeps deps) {
    super(context);
    this.deps = deps;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Changed.class, m -> reconcile(false))
        .onMessage(Tick.class, m -> reconcile(true))
        .onMessage(Done.class, this::onDone)
        .onMessage(ObjectDeleted.class, this::onObjectDeleted)
        .onMessage(Started.class, this::onStarted)
        .onMessage(Polled.class, this::onPolled)
        .build();
  }

  private Behavior<Command> reconcile(boolean poll) {
    List<RedisBackup> all = deps.informers().backups();
    Map<String, List<RedisBackup>> byCluster = new HashMap<>();
    ended.retainAll(all.stream().map(b -> b.getMetadata().getUid()).toList());
    for (RedisBackup b : all) {
      byCluster.computeIfAbsent(clusterKey(b), k -> new ArrayList<>()).add(b);
    }
    for (RedisBackup b : all) {
      String key = key(b);
      boolean endedHere =
          ended.contains(b.getMetadata().getUid())
              && b.getMetadata().getDeletionTimestamp() == null;
      if (!busy.contains(key) && !endedHere) {
        step(b, key, byCluster.get(clusterKey(b)), poll);
      }
    }
    updateMetrics(byCluster);
    return this;
  }

  private void step(RedisBackup b, String key, List<RedisBackup> sameCluster, boolean poll) {
    boolean hasFinalizer =
        b.getMetadata().getFinalizers() != null
            && b.getMetadata().getFinalizers().contains(FINALIZER);
    if (b.getMetadata().getDeletionTimestamp() != null) {
      if (hasFinalizer) {
        deleteObjectThenRelease(b, key);
      }
      return;
    }
    if (b.getSpec().getDeletionPolicy() == BackupDeletionPolicy.DELETE && !hasFinalizer) {
      List<String> finalizers =
          new ArrayList<>(
              b.getMetadata().getFinalizers() == null
                  ? List.of()
                  : b.getMetadata().getFinalizers());
      finalizers.add(FINALIZER);
      track(
          key,
          "add finalizer",
          deps.kube()
              .mergePatch(
                  RedisBackup.class, ns(b), name(b), BackupStatusPatch.finalizers(finalizers)));
      return;
    }
    BackupPhase phase = BackupAdmission.phase(b);
    if (phase == null || phase == BackupPhase.PENDING) {
      admit(b, key, sameCluster);
    } else if (phase == BackupPhase.RUNNING && poll) {
      follow(b, key);
    }
  }

  private void admit(RedisBackup b, String key, List<RedisBackup> sameCluster) {
    Optional<RedisCluster> cluster =
        deps.cache().cluster(ns(b), b.getSpec().getCluster().getName());
    BackupAdmission.Decision d = BackupAdmission.decide(b, cluster, sameCluster);
    switch (d.verdict()) {
      case FAIL -> fail(b, key, d.reason());
      case WAIT -> {
        if (BackupAdmission.phase(b) == null || !d.reason().equals(b.getStatus().getError())) {
          track(
              key,
              "record Pending",
              deps.kube()
                  .mergePatchStatus(
                      RedisBackup.class, ns(b), name(b), BackupStatusPatch.pending(d.reason())));
        }
      }
      case START -> {
        Optional<AgentCredentials> credentials =
            credentials(ns(b), b.getSpec().getCluster().getName());
        if (credentials.isEmpty()) {
          track(
              key,
              "record Pending",
              deps.kube()
                  .mergePatchStatus(
                      RedisBackup.class,
                      ns(b),
                      name(b),
                      BackupStatusPatch.pending(
                          "the cluster's agent CA Secret is not in the cache yet")));
          return;
        }
        ObjectLocation location =
            ObjectKeys.location(b.getSpec().getDestination(), ObjectKeys.key(b));
        String backupId = ObjectKeys.backupId(b);
        String pod = d.choice().pod();
        String ip = d.choice().podIp();
        busy.add(key);
        // Running is recorded before the agent is asked: a crash in between leaves a Running backup
        // whose agent
        // does not know it, which the next look fails as interrupted, never a transfer nobody
        // follows.
        deps.kube()
            .mergePatchStatus(
                RedisBackup.class,
                ns(b),
                name(b),
                BackupStatusPatch.running(pod, backupId, location, now()))
            .thenCompose(
                patched ->
                    deps.agents()
                        .startBackup(
                            new AgentEndpoint(pod, ip, credentials.get()),
                            new BackupRequest(backupId, method(b), location)))
            .whenComplete(
                (progress, error) ->
                    getContext().getSelf().tell(new Started(key, b, pod, ip, error)));
      }
    }
  }

  private Behavior<Command> onStarted(Started m) {
    busy.remove(m.key());
    if (m.error() == null) {
      lastContact.put(m.key(), deps.clock().millis());
      event(
          m.backup(),
          EventReason.BACKUP_STARTED,
          "taking a " + method(m.backup()).name().toLowerCase() + " backup on " + m.pod());
    } else if (refused(m.error())) {
      // Nothing listened at the pod's address (an agent still starting, or an address the cache has
      // not
      // seen change yet), so nothing started there: back to Pending, admitted again at the next
      // look.
      track(
          m.key(),
          "record Pending",
          deps.kube()
              .mergePatchStatus(
                  RedisBackup.class,
                  ns(m.backup()),
                  name(m.backup()),
                  BackupStatusPatch.pending(
                      "the agent of " + m.pod() + " refused the connection; retrying")));
    } else if (isConflictOrUnreachable(m.error())) {
      fail(m.backup(), m.key(), "could not start on " + m.pod() + ": " + rootMessage(m.error()));
    } else {
      getContext().getLog().warn("backup {} not started: {}", m.key(), rootMessage(m.error()));
    }
    return this;
  }

  private void follow(RedisBackup b, String key) {
    String clusterName = b.getSpec().getCluster().getName();
    String podName = b.getStatus().getInstance();
    Optional<Pod> pod =
        deps.cache().ownedBy(ns(b), clusterName).getOrDefault(Pod.class, List.of()).stream()
            .filter(p -> p.getMetadata().getName().equals(podName))
            .map(Pod.class::cast)
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .findFirst();
    lastContact.putIfAbsent(key, deps.clock().millis());
    String ip = pod.map(p -> p.getStatus() == null ? null : p.getStatus().getPodIP()).orElse(null);
    Optional<AgentCredentials> credentials = credentials(ns(b), clusterName);
    if (pod.isEmpty() || ip == null || credentials.isEmpty()) {
      judge(
          b,
          key,
          pod.isPresent(),
          new RunningBackupJudge.Unreachable(
              "pod has no IP or no agent CA yet", sinceContact(key)));
      return;
    }
    busy.add(key);
    deps.agents()
        .backupProgress(new AgentEndpoint(podName, ip, credentials.get()))
        .whenComplete(
            (progress, error) -> {
              RunningBackupJudge.Observation seen =
                  error == null
                      ? new RunningBackupJudge.Reported(progress)
                      : notFound(error)
                          ? new RunningBackupJudge.NoneSinceStart()
                          : new RunningBackupJudge.Unreachable(rootMessage(error), -1);
              getContext().getSelf().tell(new Polled(key, b, seen));
            });
  }

  private Behavior<Command> onPolled(Polled m) {
    busy.remove(m.key());
    RunningBackupJudge.Observation seen = m.seen();
    if (seen instanceof RunningBackupJudge.Unreachable u) {
      seen = new RunningBackupJudge.Unreachable(u.error(), sinceContact(m.key()));
    } else {
      lastContact.put(m.key(), deps.clock().millis());
    }
    judge(m.backup(), m.key(), true, seen);
    return this;
  }

  private void judge(
      RedisBackup b, String key, boolean podPresent, RunningBackupJudge.Observation seen) {
    RunningBackupJudge.Verdict v =
        RunningBackupJudge.judge(
            b.getStatus().getBackupId(),
            b.getStatus().getInstance(),
            podPresent,
            seen,
            deps.agentUnreachableLimit().toMillis());
    switch (v.outcome()) {
      case KEEP_RUNNING -> {}
      case FAILED -> fail(b, key, v.reason());
      case COMPLETED -> {
        lastContact.remove(key);
        ended.add(b.getMetadata().getUid());
        track(
            key,
            "record Completed",
            deps.kube()
                .mergePatchStatus(
                    RedisBackup.class,
                    ns(b),
                    name(b),
                    BackupStatusPatch.completed(v.progress(), now())));
        event(
            b,
            EventReason.BACKUP_COMPLETED,
            v.progress().sizeBytes()
                + " bytes to "
                + v.progress().location()
                + ", sha256 "
                + v.progress().sha256());
      }
    }
  }

  private void fail(RedisBackup b, String key, String reason) {
    lastContact.remove(key);
    ended.add(b.getMetadata().getUid());
    track(
        key,
        "record Failed",
        deps.kube()
            .mergePatchStatus(
                RedisBackup.class, ns(b), name(b), BackupStatusPatch.failed(reason, now())));
    deps.metrics().failed(ns(b), b.getSpec().getCluster().getName());
    event(b, EventReason.BACKUP_FAILED, reason);
  }

  private void deleteObjectThenRelease(RedisBackup b, String key) {
    ended.remove(b.getMetadata().getUid());
    List<String> rest = new ArrayList<>(b.getMetadata().getFinalizers());
    rest.remove(FINALIZER);
    String release = BackupStatusPatch.finalizers(rest);
    String objectKey = b.getStatus() == null ? null : b.getStatus().getObjectKey();
    Optional<String> secret =
        deps.cache()
            .cluster(ns(b), b.getSpec().getCluster().getName())
            .flatMap(c -> Optional.ofNullable(c.getSpec().getBackup()))
            .map(s -> s.getCredentialsSecret().getName());
    if (objectKey == null || secret.isEmpty()) {
      // Nothing was written, or the cluster (and with it the credentials) is gone: nothing the
      // operator can delete.
      track(
          key,
          "release finalizer",
          deps.kube().mergePatch(RedisBackup.class, ns(b), name(b), release));
      return;
    }
    busy.add(key);
    deps.store()
        .delete(ns(b), secret.get(), ObjectKeys.location(b.getSpec().getDestination(), objectKey))
        .thenCompose(v -> deps.kube().mergePatch(RedisBackup.class, ns(b), name(b), release))
        .whenComplete((r, e) -> getContext().getSelf().tell(new ObjectDeleted(key, b, e)));
  }

  private void updateMetrics(Map<String, List<RedisBackup>> byCluster) {
    byCluster.forEach(
        (clusterKey, backups) -> {
          String ns = clusterKey.substring(0, clusterKey.indexOf('/'));
          String cluster = clusterKey.substring(clusterKey.indexOf('/') + 1);
          deps.metrics().clusterHasBackups(ns, cluster);
          deps.metrics()
              .running(
                  ns,
                  cluster,
                  backups.stream().anyMatch(b -> BackupAdmission.phase(b) == BackupPhase.RUNNING));
          backups.stream()
              .filter(
                  b ->
                      BackupAdmission.phase(b) == BackupPhase.COMPLETED
                          && b.getStatus().getStoppedAt() != null)
              .max(java.util.Comparator.comparing(b -> b.getStatus().getStoppedAt()))
              .ifPresent(b -> deps.metrics().lastSuccess(ns, cluster, lastSuccess(b)));
        });
  }

  private static BackupMetrics.LastSuccess lastSuccess(RedisBackup b) {
    Instant stopped = Instant.parse(b.getStatus().getStoppedAt());
    Instant started =
        b.getStatus().getStartedAt() == null
            ? stopped
            : Instant.parse(b.getStatus().getStartedAt());
    long size = b.getStatus().getSizeBytes() == null ? 0 : b.getStatus().getSizeBytes();
    return new BackupMetrics.LastSuccess(
        stopped.getEpochSecond(),
        size,
        Math.max(0, stopped.getEpochSecond() - started.getEpochSecond()));
  }

  private void track(String key, String what, CompletionStage<?> call) {
    busy.add(key);
    call.whenComplete((r, e) -> getContext().getSelf().tell(new Done(key, what, e)));
  }

  private Behavior<Command> onObjectDeleted(ObjectDeleted m) {
    busy.remove(m.key());
    if (m.error() == null) {
      deleteErrors.remove(m.key());
      return this;
    }
    String reason = rootMessage(m.error());
    if (!reason.equals(deleteErrors.put(m.key(), reason))) {
      // The finalizer holds the RedisBackup until its object is gone: say why it still exists.
      event(
          m.backup(),
          EventReason.BACKUP_OBJECT_NOT_DELETED,
          "deletionPolicy Delete: " + reason + " (retrying)");
    }
    return this;
  }

  private Behavior<Command> onDone(Done m) {
    busy.remove(m.key());
    if (m.error() != null) {
      getContext()
          .getLog()
          .warn("backup {}: could not {}: {}", m.key(), m.what(), rootMessage(m.error()));
    }
    return this;
  }

  private void event(RedisBackup b, EventReason reason, String note) {
    deps.kube().event(b, reason, "Backup", note);
  }

  /**
   * The controller's client certificate for the cluster's agents, from its agent CA Secret in the
   * cache.
   */
  private Optional<AgentCredentials> credentials(String ns, String cluster) {
    Secret ca =
        deps.cache().ownedBy(ns, cluster).getOrDefault(Secret.class, List.of()).stream()
            .filter(s -> s.getMetadata().getName().equals(ResourceNames.agentCaSecret(cluster)))
            .map(Secret.class::cast)
            .findFirst()
            .orElse(null);
    return agentCredentials.get(ns, cluster, ca, Instant.ofEpochMilli(deps.clock().millis()));
  }

  private long sinceContact(String key) {
    return deps.clock().millis() - lastContact.getOrDefault(key, deps.clock().millis());
  }

  private Instant now() {
    return deps.clock().instant();
  }

  private static BackupMethod method(RedisBackup b) {
    return b.getSpec().getMethod() == null ? BackupMethod.RDB : b.getSpec().getMethod();
  }

  private static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AgentCallException a && a.httpStatus() == 404) {
        return true;
      }
    }
    return false;
  }

  /**
   * The agent refused the start (409: another backup runs, 4xx) or cannot be reached: the backup
   * cannot run.
   */
  /** A refused connection proves the backup did not start; any other failure leaves it unknown. */
  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AgentCallException call) {
        return call.kind() == PollFailure.CONNECTION_REFUSED;
      }
    }
    return false;
  }

  private static boolean isConflictOrUnreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof AgentCallException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && t.getCause() != t
        && (t instanceof java.util.concurrent.CompletionException)) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  private static String key(RedisBackup b) {
    return ns(b) + "/" + name(b);
  }

  private static String clusterKey(RedisBackup b) {
    return ns(b) + "/" + b.getSpec().getCluster().getName();
  }

  private static String ns(RedisBackup b) {
    return b.getMetadata().getNamespace();
  }

  private static String name(RedisBackup b) {
    return b.getMetadata().getName();
  }
}
