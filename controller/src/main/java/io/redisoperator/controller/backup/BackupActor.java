package io.redisoperator.controller.backup;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.event.EventReason;
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
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Drives every RedisBackup: Pending until {@link BackupAdmission} lets it start, Running while its
 * agent transfers (asked for progress every poll interval, never waited on), then Completed or
 * Failed as {@link RunningBackupJudge} decides; what each backup needs next is {@link
 * BackupLifecycle}'s. Every API call, agent call and store deletion is asynchronous and comes back
 * as a message; a backup with one in flight is skipped until it has answered. After a restart the
 * Running backups are found in the cache and followed again (or failed, when their agent no longer
 * knows them).
 */
public final class BackupActor extends AbstractBehavior<BackupActor.Command> {
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

  private record Started(String key, RedisBackup backup, String pod, Throwable error)
      implements Command {}

  private record Polled(String key, RedisBackup backup, RunningBackupJudge.Observation seen)
      implements Command {}

  private final BackupDeps deps;
  private final ClusterAgentCredentials credentials;
  private final BackupMemory memory;

  /** Backups (by key) with a call in flight. */
  private final Set<String> busy = new HashSet<>();

  public static Behavior<Command> create(BackupDeps deps) {
    return deps.polling(Tick.INSTANCE, context -> new BackupActor(context, deps));
  }

  private BackupActor(ActorContext<Command> context, BackupDeps deps) {
    super(context);
    this.deps = deps;
    this.credentials = new ClusterAgentCredentials(deps.cache(), deps.clock());
    this.memory = new BackupMemory(deps.clock());
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
    memory.retainEnded(all.stream().map(b -> b.getMetadata().getUid()).toList());
    for (RedisBackup b : all) {
      byCluster.computeIfAbsent(clusterKey(b), k -> new ArrayList<>()).add(b);
    }
    for (RedisBackup b : all) {
      String key = key(b);
      boolean endedHere =
          memory.endedHere(b.getMetadata().getUid())
              && b.getMetadata().getDeletionTimestamp() == null;
      if (!busy.contains(key) && !endedHere) {
        switch (BackupLifecycle.next(b, poll)) {
          case DELETE_OBJECT -> deleteObjectThenRelease(b, key);
          case ADD_FINALIZER ->
              track(
                  key,
                  "add finalizer",
                  deps.kube()
                      .mergePatch(
                          RedisBackup.class,
                          ns(b),
                          name(b),
                          BackupStatusPatch.finalizers(BackupLifecycle.withFinalizer(b))));
          case ADMIT -> admit(b, key, byCluster.get(clusterKey(b)));
          case FOLLOW -> follow(b, key);
          case NOTHING -> {}
        }
      }
    }
    updateMetrics(byCluster);
    return this;
  }

  private void admit(RedisBackup b, String key, List<RedisBackup> sameCluster) {
    Optional<RedisCluster> cluster =
        deps.cache().cluster(ns(b), b.getSpec().getCluster().getName());
    BackupAdmission.Decision d = BackupAdmission.decide(b, cluster, sameCluster);
    switch (d.verdict()) {
      case FAIL -> fail(b, key, d.reason());
      case WAIT -> {
        if (BackupAdmission.phase(b) == null || !d.reason().equals(b.getStatus().getError())) {
          recordPending(b, key, d.reason());
        }
      }
      case START -> {
        Optional<AgentCredentials> agent =
            credentials.of(ns(b), b.getSpec().getCluster().getName());
        if (agent.isEmpty()) {
          recordPending(b, key, "the cluster's agent CA Secret is not in the cache yet");
          return;
        }
        start(b, key, BackupStart.of(b, d.choice()), agent.get());
      }
    }
  }

  private void start(RedisBackup b, String key, BackupStart start, AgentCredentials agent) {
    busy.add(key);
    // Running is recorded before the agent is asked: a crash in between leaves a Running backup
    // whose agent does not know it, which the next look fails as interrupted, never a transfer
    // nobody follows.
    deps.kube()
        .mergePatchStatus(
            RedisBackup.class,
            ns(b),
            name(b),
            BackupStatusPatch.running(start.pod(), start.backupId(), start.location(), now()))
        .thenCompose(
            patched ->
                deps.agents()
                    .startBackup(
                        new AgentEndpoint(start.pod(), start.podIp(), agent), start.request(b)))
        .whenComplete(
            (progress, error) ->
                getContext().getSelf().tell(new Started(key, b, start.pod(), error)));
  }

  private Behavior<Command> onStarted(Started m) {
    busy.remove(m.key());
    if (m.error() == null) {
      memory.recordContact(m.key());
      event(
          m.backup(),
          EventReason.BACKUP_STARTED,
          "taking a "
              + BackupStart.method(m.backup()).name().toLowerCase()
              + " backup on "
              + m.pod());
      return this;
    }
    switch (AgentAnswers.startFailure(m.error())) {
      case NOT_STARTED ->
          recordPending(
              m.backup(), m.key(), "the agent of " + m.pod() + " refused the connection; retrying");
      case CANNOT_RUN ->
          fail(
              m.backup(),
              m.key(),
              "could not start on " + m.pod() + ": " + AgentAnswers.rootMessage(m.error()));
      case UNKNOWN ->
          getContext()
              .getLog()
              .warn("backup {} not started: {}", m.key(), AgentAnswers.rootMessage(m.error()));
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
    memory.followFromNow(key);
    String ip = pod.map(p -> p.getStatus() == null ? null : p.getStatus().getPodIP()).orElse(null);
    Optional<AgentCredentials> agent = credentials.of(ns(b), clusterName);
    if (pod.isEmpty() || ip == null || agent.isEmpty()) {
      judge(
          b,
          key,
          pod.isPresent(),
          new RunningBackupJudge.Unreachable(
              "pod has no IP or no agent CA yet", memory.millisSinceContact(key)));
      return;
    }
    busy.add(key);
    deps.agents()
        .backupProgress(new AgentEndpoint(podName, ip, agent.get()))
        .whenComplete(
            (progress, error) ->
                getContext()
                    .getSelf()
                    .tell(new Polled(key, b, AgentAnswers.progress(progress, error))));
  }

  private Behavior<Command> onPolled(Polled m) {
    busy.remove(m.key());
    RunningBackupJudge.Observation seen = m.seen();
    if (seen instanceof RunningBackupJudge.Unreachable u) {
      seen = new RunningBackupJudge.Unreachable(u.error(), memory.millisSinceContact(m.key()));
    } else {
      memory.recordContact(m.key());
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
        memory.recordEnd(key, b.getMetadata().getUid());
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

  private void recordPending(RedisBackup b, String key, String reason) {
    track(
        key,
        "record Pending",
        deps.kube()
            .mergePatchStatus(
                RedisBackup.class, ns(b), name(b), BackupStatusPatch.pending(reason)));
  }

  private void fail(RedisBackup b, String key, String reason) {
    memory.recordEnd(key, b.getMetadata().getUid());
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
    memory.forgetEnd(b.getMetadata().getUid());
    String release = BackupStatusPatch.finalizers(BackupLifecycle.withoutFinalizer(b));
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
          ClusterBackupSummary summary = ClusterBackupSummary.of(backups);
          deps.metrics().clusterHasBackups(ns, cluster);
          deps.metrics().running(ns, cluster, summary.running());
          summary.lastSuccess().ifPresent(last -> deps.metrics().lastSuccess(ns, cluster, last));
        });
  }

  private void track(String key, String what, CompletionStage<?> call) {
    busy.add(key);
    call.whenComplete((r, e) -> getContext().getSelf().tell(new Done(key, what, e)));
  }

  private Behavior<Command> onObjectDeleted(ObjectDeleted m) {
    busy.remove(m.key());
    if (m.error() == null) {
      memory.clearDeleteError(m.key());
      return this;
    }
    String reason = AgentAnswers.rootMessage(m.error());
    if (memory.newDeleteError(m.key(), reason)) {
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
          .warn(
              "backup {}: could not {}: {}",
              m.key(),
              m.what(),
              AgentAnswers.rootMessage(m.error()));
    }
    return this;
  }

  private void event(RedisBackup b, EventReason reason, String note) {
    deps.kube().event(b, reason, "Backup", note);
  }

  private Instant now() {
    return deps.clock().instant();
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
