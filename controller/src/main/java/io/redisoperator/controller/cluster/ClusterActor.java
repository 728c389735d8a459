package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.agent.AgentCallException;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.ControllerIdentity;
import io.redisoperator.controller.failover.SwitchoverPlanner;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.metrics.ClusterGauges;
import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.controller.pod.PodActor;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.controller.reconcile.Action;
import io.redisoperator.controller.reconcile.Durable;
import io.redisoperator.controller.reconcile.ObservationAssembler;
import io.redisoperator.controller.reconcile.OwnedObjects;
import io.redisoperator.controller.reconcile.Plan;
import io.redisoperator.controller.reconcile.ReconcileInput;
import io.redisoperator.controller.reconcile.SpecInForce;
import io.redisoperator.controller.reconcile.StatusBuilder;
import io.redisoperator.controller.reconcile.SwitchoverMemory;
import io.redisoperator.controller.resources.CertificateExpiry;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.controller.sentinel.SentinelQuorum;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One RedisCluster. Decides WHEN to reconcile: every trigger (the cluster, its objects, a pod
 * report that matters, a timer) either starts a pass or, while one is in flight, marks the actor
 * dirty so exactly one more pass follows. A pass is planned by {@link ReconcilePlanner} from the
 * caches, the pod actors' reports and the durable status, then executed off the actor thread.
 * Nothing is kept across restarts that the API server does not also say.
 */
public final class ClusterActor extends AbstractBehavior<ClusterActor.Command> {

  public sealed interface Command {}

  /** The informer saw a new version of the cluster. */
  public record ClusterUpdated(RedisCluster cluster) implements Command {}

  /** Something the cluster owns changed. */
  public enum OwnedChanged implements Command {
    INSTANCE
  }

  private record Reported(PodReport report) implements Command {}

  private record PassFinished(
      List<ActionOutcome> outcomes, StatusWrite statusWrite, Plan plan, long startedNanos)
      implements Command {}

  private record AgentOpFinished(String key, ActionOutcome outcome) implements Command {}

  private record AuthSecretRead(String name, Optional<String> version) implements Command {}

  /**
   * SHA-256 of the passwords of the user Secrets the spec names, by Secret name (see {@link
   * ReconcileInput}).
   */
  private record UserPasswordsRead(Map<String, String> hashes) implements Command {}

  private enum Timer implements Command {
    RESYNC,
    WAKE,
    RETRY
  }

  private record StatusWrite(boolean attempted, RedisCluster result, Throwable failure) {}

  private static final Duration ECHO_WAIT = Duration.ofSeconds(5);

  private final ClusterDeps deps;
  private final String namespace;
  private final String name;
  private final TimerScheduler<Command> timers;
  private final ActionExecutor executor;
  private final ActorRef<PodReport> reportAdapter;
  private final Map<String, PodReport> reports = new HashMap<>();
  private final Map<String, ActorRef<PodActor.Command>> pollers = new HashMap<>();
  private final Map<String, PodActor.Target> pollTargets = new HashMap<>();

  /**
   * Pods whose object is gone but whose last address is still polled (each polled once at once when
   * it went).
   */
  private final Set<String> goneAndPolled = new HashSet<>();

  /**
   * When this actor first saw each pod of status.fencedInstances or unreachableInstances (see
   * {@link #noteFences}).
   */
  private final Map<String, Instant> warnedSince = new HashMap<>();

  private final Map<String, Instant> recentOps = new HashMap<>();
  private final Overlay overlay = new Overlay();
  private final ControllerIdentity identity = new ControllerIdentity();
  private SwitchoverMemory switchover = SwitchoverMemory.NONE;
  private RedisCluster cluster;

  /**
   * When this actor started: the bound of the last contact of anything it never heard from
   * (ClusterObservation).
   */
  private final Instant observingSince;

  private SpecInForce inForce;
  private boolean busy;
  private boolean dirty;
  private String awaitedEchoVersion;
  private Instant awaitedEchoSince;
  private String userSecretName;
  private Optional<String> userSecretVersion = Optional.empty();
  private Map<String, String> userPasswordHashes = Map.of();

  public static Behavior<Command> create(ClusterDeps deps, String namespace, String name) {
    Behavior<Command> behavior =
        Behaviors.setup(
            context ->
                Behaviors.withTimers(
                    timers -> new ClusterActor(context, timers, deps, namespace, name)));
    return Behaviors.withMdc(
        Command.class,
        Map.of("cluster", name, "namespace", namespace),
        Behaviors.supervise(behavior)
            .onFailure(
                SupervisorStrategy.restartWithBackoff(
                    Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2)));
  }

  private ClusterActor(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ClusterDeps deps,
      String namespace,
      String name) {
    super(context);
    this.deps = deps;
    this.namespace = namespace;
    this.name = name;
    this.timers = timers;
    this.executor = new ActionExecutor(deps.kube(), deps.agents());
    this.reportAdapter = context.messageAdapter(PodReport.class, Reported::new);
    this.observingSince = deps.clock().instant();
    // Start from what the API server says (through the cache), never from a previous incarnation's
    // memory.
    this.cluster = deps.cache().cluster(namespace, name).orElse(null);
    // At a rate, at the cluster's own phase: no lockstep with the others (see ResyncPhase).
    timers.startTimerAtFixedRate(
        Timer.RESYNC,
        Timer.RESYNC,
        ResyncPhase.firstDelay(
            cluster != null && cluster.getMetadata().getUid() != null
                ? cluster.getMetadata().getUid()
                : namespace + "/" + name,
            deps.resyncInterval()),
        deps.resyncInterval());
    context.getSelf().tell(Timer.RESYNC);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ClusterUpdated.class, this::onClusterUpdated)
        .onMessageEquals(OwnedChanged.INSTANCE, this::onOwnedChanged)
        .onMessage(Reported.class, this::onReported)
        .onMessage(PassFinished.class, this::onPassFinished)
        .onMessage(AgentOpFinished.class, this::onAgentOpFinished)
        .onMessage(AuthSecretRead.class, this::onAuthSecretRead)
        .onMessage(UserPasswordsRead.class, this::onUserPasswordsRead)
        .onMessageEquals(Timer.RESYNC, this::onResync)
        .onMessageEquals(Timer.WAKE, this::trigger)
        .onMessageEquals(Timer.RETRY, this::trigger)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onClusterUpdated(ClusterUpdated message) {
    RedisCluster next = message.cluster();
    if (cluster == null) {
      cluster = next;
      return trigger();
    }
    boolean userChange = changedByUser(cluster, next);
    if (userChange) {
      readUserPasswords(
          next); // a user added to spec.users gets its password without waiting for the resync
    }
    if (awaitedEchoVersion != null) {
      boolean echo = awaitedEchoVersion.equals(next.getMetadata().getResourceVersion());
      boolean expired = awaitedEchoSince.plus(ECHO_WAIT).isBefore(deps.clock().instant());
      if (echo || expired) {
        awaitedEchoVersion = null;
      } else if (!userChange) {
        // A version from before our own status write: taking it would make us redo that write.
        return this;
      }
    }
    boolean statusChangedBySomeoneElse = !Objects.equals(cluster.getStatus(), next.getStatus());
    cluster = next;
    return userChange || statusChangedBySomeoneElse ? trigger() : this;
  }

  /**
   * Spec, annotations, labels or deletion changed: reasons to work (our own status writes are not).
   */
  private static boolean changedByUser(RedisCluster current, RedisCluster next) {
    return !Objects.equals(
            current.getMetadata().getGeneration(), next.getMetadata().getGeneration())
        || !Objects.equals(
            current.getMetadata().getAnnotations(), next.getMetadata().getAnnotations())
        || !Objects.equals(current.getMetadata().getLabels(), next.getMetadata().getLabels())
        || !Objects.equals(
            current.getMetadata().getDeletionTimestamp(),
            next.getMetadata().getDeletionTimestamp());
  }

  private Behavior<Command> onReported(Reported message) {
    PodReport report = message.report();
    PodReport previous = reports.get(report.podName());
    if (previous != null
        && report.requestedAt().isBefore(previous.requestedAt())
        && Objects.equals(previous.podIP(), report.podIP())) {
      // Asked before an operation whose answer we already applied: it describes the instance as it
      // was.
      return this;
    }
    reports.put(report.podName(), report);
    return material(previous).equals(material(report)) ? this : trigger();
  }

  /** What in a report can change a decision; offsets and timestamps alone do not. */
  private static List<Object> material(PodReport report) {
    if (report == null) {
      return List.of();
    }
    InstanceStatus s = report.status();
    List<Object> key = new ArrayList<>();
    key.add(String.valueOf(report.podIP()));
    key.add(report.consecutiveFailures());
    key.add(report.lastFailure());
    key.add(
        report.redisUnansweredPolls()); // a busy Redis counts towards the failure threshold like
    // failed polls
    if (s != null) {
      key.add(String.valueOf(s.role()));
      key.add(s.redisUp());
      key.add(String.valueOf(s.masterReplId()));
      key.add(String.valueOf(s.masterHost()));
      key.add(String.valueOf(s.masterPort()));
      key.add(String.valueOf(s.masterLinkUp()));
      key.add(s.fenced());
      key.add(s.selfFenced());
      key.add(String.valueOf(s.acl())); // an applied ACL generation can advance a password rotation
    }
    return key;
  }

  /** An owned object or a Secret the spec names changed: the latter's hash and version are read. */
  private Behavior<Command> onOwnedChanged() {
    readUserSecretVersion();
    readUserPasswords(cluster);
    return trigger();
  }

  private Behavior<Command> onResync() {
    if (cluster == null) {
      cluster = deps.cache().cluster(namespace, name).orElse(null);
    }
    readUserSecretVersion();
    readUserPasswords(cluster);
    // Certificates change at most on renewal: reading them at each resync (not each pass) is enough
    // for the metric.
    deps.metrics()
        .certificates(
            namespace,
            name,
            CertificateExpiry.of(
                name, OwnedObjects.of(deps.cache().ownedBy(namespace, name)).all(Secret.class)));
    return trigger();
  }

  /**
   * Reads the password of every user Secret the spec names (from the user Secrets' cache) and keeps
   * only its hash: the ACL the pods apply needs nothing else. Read when such a Secret or an owned
   * object changes, and at every resync.
   */
  private void readUserPasswords(RedisCluster of) {
    var spec = of == null ? null : SpecInForce.of(of).cluster().getSpec();
    if (spec == null) {
      return;
    }
    java.util.Set<String> names = new java.util.TreeSet<>();
    if (spec.getAuthSecret() != null && spec.getAuthSecret().getName() != null) {
      names.add(spec.getAuthSecret().getName());
    }
    if (spec.getUsers() != null) {
      spec.getUsers().stream()
          .filter(
              u ->
                  u != null
                      && u.getPasswordSecret() != null
                      && u.getPasswordSecret().getName() != null)
          .forEach(u -> names.add(u.getPasswordSecret().getName()));
    }
    Map<String, java.util.concurrent.CompletableFuture<Optional<String>>> reads =
        new java.util.TreeMap<>();
    for (String secret : names) {
      reads.put(
          secret,
          java.util.concurrent.CompletableFuture.completedFuture(
                  deps.cache().userSecret(namespace, secret))
              .thenApply(
                  found ->
                      found.flatMap(
                          s -> ClusterSecrets.value(s, InstanceLayout.SECRET_KEY_PASSWORD)))
              .thenApply(
                  p ->
                      p.filter(v -> !v.isEmpty())
                          .map(io.redisoperator.protocol.acl.PasswordHash::of))
              .toCompletableFuture());
    }
    getContext()
        .pipeToSelf(
            java.util.concurrent.CompletableFuture.allOf(
                reads.values().toArray(java.util.concurrent.CompletableFuture[]::new)),
            (ok, failure) -> {
              if (failure != null) {
                return new UserPasswordsRead(
                    null); // keep what we had: a failed read is no deletion
              }
              Map<String, String> hashes = new java.util.TreeMap<>();
              reads.forEach((name, f) -> f.join().ifPresent(h -> hashes.put(name, h)));
              return new UserPasswordsRead(Map.copyOf(hashes));
            });
  }

  private Behavior<Command> onUserPasswordsRead(UserPasswordsRead read) {
    if (read.hashes() == null || read.hashes().equals(userPasswordHashes)) {
      return this;
    }
    userPasswordHashes = read.hashes();
    return trigger();
  }

  private void readUserSecretVersion() {
    var spec = cluster == null ? null : SpecInForce.of(cluster).cluster().getSpec();
    if (spec == null || spec.getAuthSecret() == null) {
      return;
    }
    String secret = spec.getAuthSecret().getName();
    if (secret == null) {
      return;
    }
    getContext()
        .pipeToSelf(
            java.util.concurrent.CompletableFuture.completedFuture(
                deps.cache().userSecret(namespace, secret)),
            (found, failure) ->
                new AuthSecretRead(
                    secret,
                    failure != null || found.isEmpty()
                        ? Optional.empty()
                        : Optional.of(found.get().getMetadata().getResourceVersion())));
  }

  private Behavior<Command> onAuthSecretRead(AuthSecretRead read) {
    boolean changed =
        !Objects.equals(read.name(), userSecretName) || !read.version().equals(userSecretVersion);
    userSecretName = read.name();
    userSecretVersion = read.version();
    return changed ? trigger() : this;
  }

  private Behavior<Command> trigger() {
    if (busy) {
      dirty = true;
    } else {
      startPass();
    }
    return this;
  }

  private void startPass() {
    if (cluster == null) {
      return;
    }
    busy = true;
    dirty = false;
    long started = System.nanoTime();
    // An invalid edit is reported and ignored: everything below runs on the last valid spec.
    inForce = SpecInForce.of(cluster);
    Instant now = deps.clock().instant();
    OwnedObjects owned = OwnedObjects.of(overlay.apply(deps.cache().ownedBy(namespace, name), now));
    List<Pod> pods = owned.all(Pod.class);
    noteFences(now);
    ClusterObservation observation =
        ObservationAssembler.assemble(
            cluster, pods, reports, now, deps.operatorImage(), warnedSince, observingSince);
    recentOps.values().removeIf(at -> at.plus(deps.agentOpCooldown()).isBefore(now));
    if (!switchover.describes(Durable.of(cluster.getStatus()))) {
      switchover =
          SwitchoverMemory.NONE; // recorded, abandoned or replaced: a new request starts from zero
    }
    ReconcileInput input =
        new ReconcileInput(
            inForce.cluster(),
            owned,
            observation,
            authSecretVersion(owned),
            recentOps::containsKey,
            deps.operatorImage(),
            switchover,
            deps.cache().cordonedNodes(),
            userPasswordHashes);
    Plan plan;
    RedisClusterStatus desired;
    try {
      plan = deps.planner().plan(input, inForce);
      desired = StatusBuilder.build(input, plan);
    } catch (RuntimeException e) {
      busy = false;
      throw e; // supervision restarts the actor from the API server's state
    }
    AgentCredentials credentials = credentials(owned, now);
    syncPollers(pods, credentials);
    deps.metrics()
        .cluster(namespace, name, ClusterGauges.of(cluster.getSpec().getInstances(), desired));
    reportSentinelQuorum(desired, owned);
    if (plan.wakeAt() != null) {
      Duration in = Duration.between(now, plan.wakeAt());
      timers.startSingleTimer(Timer.WAKE, Timer.WAKE, in.isNegative() ? Duration.ZERO : in);
    }
    if (plan.decision() != null) {
      getContext().getLog().info("decision: {}", plan.decisionReason());
    }

    List<CompletableFuture<ActionOutcome>> awaited = new ArrayList<>();
    for (Action action : plan.actions()) {
      getContext().getLog().info("{}", action.describe());
      CompletionStage<ActionOutcome> stage = executor.run(action, cluster, owned, credentials);
      if (action instanceof Action.Replicate
          || action instanceof Action.Fence
          || action instanceof Action.Unfence) {
        String key = opKey(action);
        recentOps.put(key, now);
        getContext().pipeToSelf(stage, (outcome, failure) -> new AgentOpFinished(key, outcome));
      } else {
        awaited.add(stage.toCompletableFuture());
      }
    }
    boolean writeStatus =
        plan.decision() != null || StatusBuilder.materiallyDifferent(cluster.getStatus(), desired);
    if (writeStatus) {
      boolean phaseChanged =
          cluster.getStatus() == null || cluster.getStatus().getPhase() != desired.getPhase();
      if (phaseChanged) {
        getContext().getLog().info("phase {} ({})", desired.getPhase(), desired.getPhaseReason());
      } else {
        getContext()
            .getLog()
            .debug(
                "status update ({}), changed {}",
                desired.getPhaseReason(),
                StatusBuilder.changedFields(cluster.getStatus(), desired));
      }
    }
    CompletableFuture<StatusWrite> statusWrite =
        writeStatus
            ? deps.kube()
                .updateStatus(withStatus(cluster, desired))
                .handle(
                    (result, failure) ->
                        new StatusWrite(
                            true, result, failure == null ? null : ActionExecutor.unwrap(failure)))
                .toCompletableFuture()
            : CompletableFuture.completedFuture(new StatusWrite(false, null, null));
    CompletableFuture<Void> all =
        CompletableFuture.allOf(awaited.toArray(CompletableFuture[]::new));
    getContext()
        .pipeToSelf(
            all.thenCombine(statusWrite, (v, write) -> write),
            (write, failure) ->
                new PassFinished(
                    awaited.stream().map(CompletableFuture::join).toList(), write, plan, started));
  }

  /**
   * Dates each fence or unreachable record by the first pass that saw it in status: never earlier
   * than the write, which the promotion gate relies on (a primary that still reads the API server
   * stops counting those reads as contact within a bounded time of it).
   */
  private void noteFences(Instant now) {
    Set<String> warned = new HashSet<>();
    if (cluster.getStatus() != null) {
      Optional.ofNullable(cluster.getStatus().getFencedInstances()).ifPresent(warned::addAll);
      Optional.ofNullable(cluster.getStatus().getUnreachableInstances()).ifPresent(warned::addAll);
    }
    warnedSince.keySet().retainAll(warned);
    warned.forEach(pod -> warnedSince.putIfAbsent(pod, now));
  }

  private static String opKey(Action action) {
    if (action instanceof Action.Replicate r) {
      return ReconcileInput.opKey("replicate", r.pod(), r.primaryIP());
    }
    if (action instanceof Action.Fence f) {
      return ReconcileInput.opKey("fence", f.pod(), f.podIP());
    }
    if (action instanceof Action.Unfence u) {
      return ReconcileInput.opKey("unfence", u.pod(), u.podIP());
    }
    return action.describe();
  }

  private Behavior<Command> onPassFinished(PassFinished finished) {
    busy = false;
    Instant now = deps.clock().instant();
    boolean failures = false;
    for (ActionOutcome outcome : finished.outcomes()) {
      failures |= !record(outcome, now);
    }
    StatusWrite write = finished.statusWrite();
    if (write.attempted()) {
      if (write.failure() == null) {
        cluster = write.result();
        // Dated by the confirmed write rather than by the next pass: the gate counts from it (up to
        // a poll earlier).
        noteFences(now);
        awaitedEchoVersion = write.result().getMetadata().getResourceVersion();
        awaitedEchoSince = now;
        if (finished.plan().decision() != null) {
          EventReason event = finished.plan().decisionEvent();
          if (event == EventReason.FAILED_OVER) {
            deps.metrics().failover(namespace, name, "failover");
          } else if (event == EventReason.SWITCHED_OVER) {
            deps.metrics().failover(namespace, name, "switchover");
          }
          executor.run(
              new Action.Emit(event, finished.plan().decisionReason()), cluster, null, null);
          dirty = true; // the decision enables the next step: plan it now
        }
      } else if (KubeGateway.isCode(write.failure(), 409)) {
        getContext().getLog().info("status write conflicted, re-reading the cluster");
        cluster = deps.cache().cluster(namespace, name).orElse(cluster);
        dirty = true;
      } else {
        getContext().getLog().warn("status write failed: {}", write.failure().getMessage());
        failures = true;
      }
    }
    deps.metrics().recordReconcile(Duration.ofNanos(System.nanoTime() - finished.startedNanos()));
    if (failures) {
      deps.metrics().reconcileError(namespace, name);
    }
    if (dirty) {
      startPass();
    } else if (failures) {
      timers.startSingleTimer(Timer.RETRY, Timer.RETRY, Duration.ofSeconds(2));
    }
    return this;
  }

  /** Applies one outcome to the actor's memory; false when it failed in a way worth retrying. */
  private boolean record(ActionOutcome outcome, Instant now) {
    Action action = outcome.action();
    if (!outcome.ok()) {
      if (action instanceof Action.Create && KubeGateway.isCode(outcome.failure(), 409)) {
        return true; // it exists already; the cache will show it
      }
      if (action instanceof Action.Delete && KubeGateway.isCode(outcome.failure(), 404)) {
        return true;
      }
      getContext()
          .getLog()
          .warn("{} failed: {}", action.describe(), outcome.failure().getMessage());
      if (action instanceof Action.Switchover failed) {
        switchoverFailed(failed, outcome.failure());
      }
      return false;
    }
    if (action instanceof Action.Create create) {
      overlay.written(
          create.object().getClass(),
          create.object().getMetadata().getName(),
          null,
          outcome.after(),
          now);
    } else if (action instanceof Action.Patch patch
        && outcome.after() instanceof RedisCluster patched) {
      // Our own annotation edit (a consumed request): use the result, and do not react to its echo;
      // what the request
      // was consumed for (e.g. abandoning a switchover) is planned right away.
      cluster = patched;
      awaitedEchoVersion = patched.getMetadata().getResourceVersion();
      awaitedEchoSince = now;
      dirty = true;
    } else if (action instanceof Action.Patch patch) {
      overlay.written(patch.kind(), patch.name(), outcome.before(), outcome.after(), now);
    } else if (action instanceof Action.Delete delete && outcome.before() != null) {
      overlay.written(delete.kind(), delete.name(), outcome.before(), null, now);
    } else if (action instanceof Action.Promote promote
        && outcome.result() instanceof OperationResult result) {
      refreshReport(promote.pod(), result.status(), now);
      // The answer says it is primary now: record it in the next pass (its polls will look
      // unchanged, so nothing
      // else would trigger one), and poll it at once rather than at its next interval.
      Optional.ofNullable(pollers.get(promote.pod()))
          .ifPresent(p -> p.tell(PodActor.PollNow.INSTANCE));
      dirty = true;
    } else if (action instanceof Action.Switchover handoff) {
      getContext()
          .getLog()
          .info(
              "switchover {} -> {} confirmed by {}'s agent",
              handoff.primary(),
              handoff.target(),
              handoff.primary());
      // What the old primary said before the handover is stale now: it would look like a second
      // primary.
      forgetStatus(handoff.primary(), now);
      // Its agent's answer is the proof the target took over: status and labels follow in the next
      // pass, and the new
      // primary is polled now rather than at its next interval.
      switchover = SwitchoverMemory.handedOver(handoff.primary(), handoff.target());
      Optional.ofNullable(pollers.get(handoff.target()))
          .ifPresent(p -> p.tell(PodActor.PollNow.INSTANCE));
      dirty = true;
    }
    return true;
  }

  /**
   * Counts a failed handoff (the switchover step abandons after a few) and tells the user why it
   * failed.
   */
  private void switchoverFailed(Action.Switchover failed, Throwable failure) {
    switchover = switchover.failed(failed.primary(), failed.target(), failure.getMessage());
    String note =
        "switchover from "
            + failed.primary()
            + " to "
            + failed.target()
            + ", attempt "
            + switchover.failedAttempts()
            + " of "
            + SwitchoverPlanner.MAX_ATTEMPTS
            + ", failed: "
            + failure.getMessage();
    executor.run(new Action.Emit(EventReason.SWITCHOVER_FAILED, note), cluster, null, null);
  }

  private Behavior<Command> onAgentOpFinished(AgentOpFinished finished) {
    ActionOutcome outcome = finished.outcome();
    if (!outcome.ok()) {
      getContext()
          .getLog()
          .warn("{} failed: {}", outcome.action().describe(), outcome.failure().getMessage());
      if (AgentCallException.classify(outcome.failure()) != PollFailure.TIMEOUT) {
        recentOps.remove(finished.key()); // a clear refusal may be retried on the next pass
      }
      return this;
    }
    String pod = null;
    if (outcome.action() instanceof Action.Replicate r) {
      pod = r.pod();
    } else if (outcome.action() instanceof Action.Fence f) {
      pod = f.pod();
    } else if (outcome.action() instanceof Action.Unfence u) {
      pod = u.pod();
    }
    if (pod != null && outcome.result() instanceof OperationResult result) {
      refreshReport(pod, result.status(), deps.clock().instant());
      return trigger();
    }
    return this;
  }

  /** An operation's answer carries the instance's fresh status: as good as a poll, and sooner. */
  private void refreshReport(String pod, InstanceStatus status, Instant now) {
    PodReport previous = reports.get(pod);
    if (status == null || previous == null) {
      return;
    }
    reports.put(pod, new PodReport(pod, previous.podIP(), status, now, 0, PollFailure.NONE, now));
  }

  private void forgetStatus(String pod, Instant now) {
    PodReport previous = reports.get(pod);
    if (previous != null) {
      reports.put(
          pod,
          new PodReport(
              pod, previous.podIP(), null, previous.lastSeen(), 0, PollFailure.NONE, now));
    }
  }

  private Optional<String> authSecretVersion(OwnedObjects owned) {
    var spec = inForce.cluster().getSpec();
    if (spec != null && spec.getAuthSecret() != null) {
      return Objects.equals(userSecretName, spec.getAuthSecret().getName())
          ? userSecretVersion
          : Optional.empty();
    }
    return owned
        .get(Secret.class, ResourceNames.generatedAuthSecret(name))
        .map(s -> s.getMetadata().getResourceVersion());
  }

  /**
   * The controller's client certificate for this cluster's agents; null until the agent CA exists.
   */
  private AgentCredentials credentials(OwnedObjects owned, Instant now) {
    return identity
        .credentials(owned.get(Secret.class, ResourceNames.agentCaSecret(name)).orElse(null), now)
        .orElse(null);
  }

  /**
   * One poller per data pod that exists; each is told its pod's current IP, the credentials and the
   * poll interval.
   */
  private void syncPollers(List<Pod> pods, AgentCredentials credentials) {
    Set<String> present = new HashSet<>();
    var spec = inForce.cluster().getSpec();
    int intervalMillis =
        spec.getFailover() == null ? 1000 : spec.getFailover().pollIntervalMillisOrDefault();
    Duration interval = Duration.ofMillis(intervalMillis);
    Duration timeout = Duration.ofMillis(Math.max(500, Math.min(intervalMillis * 8L / 10, 2000)));
    for (Pod pod : pods) {
      String podName = pod.getMetadata().getName();
      if (ResourceNames.ordinalOf(name, podName).isEmpty() || credentials == null) {
        continue;
      }
      present.add(podName);
      ActorRef<PodActor.Command> poller =
          pollers.containsKey(podName) ? pollers.get(podName) : spawnPoller(podName);
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      PodActor.Target target = new PodActor.Target(ip, credentials, interval, timeout);
      if (!target.equals(pollTargets.get(podName))) {
        pollTargets.put(podName, target);
        poller.tell(target);
      }
    }
    pollRecordedPrimaryWithoutPod(present, credentials, interval, timeout);
    for (String podName : new ArrayList<>(pollers.keySet())) {
      if (present.contains(podName)) {
        continue;
      }
      if (stillExpected(podName)) {
        // A deleted pod that is still wanted (its ordinal, or the recorded primary): keep polling
        // its last address.
        // A refused connection there proves its processes are gone; poll at once rather than at the
        // next interval.
        if (goneAndPolled.add(podName)) {
          pollers.get(podName).tell(PodActor.PodGone.INSTANCE);
        }
        continue;
      }
      getContext().stop(pollers.remove(podName));
      pollTargets.remove(podName);
      goneAndPolled.remove(podName);
    }
    goneAndPolled.retainAll(pollers.keySet());
    goneAndPolled.removeAll(present);
  }

  /**
   * The recorded primary whose pod this actor never saw (deleted while the operator was down) is
   * polled at the address status recorded for it: a refusal there proves its processes are gone,
   * and silence dates the first unanswered poll, so the promotion gate has a bound (a lost node
   * drops packets; it never refuses).
   */
  private void pollRecordedPrimaryWithoutPod(
      Set<String> present, AgentCredentials credentials, Duration interval, Duration timeout) {
    RedisClusterStatus status = cluster.getStatus();
    String primary = status == null ? null : status.getCurrentPrimary();
    if (primary == null
        || credentials == null
        || present.contains(primary)
        || pollers.containsKey(primary)
        || status.getInstancesStatus() == null
        || status.getInstancesStatus().get(primary) == null
        || status.getInstancesStatus().get(primary).getPodIP() == null
        || !stillExpected(primary)) {
      return;
    }
    String ip = status.getInstancesStatus().get(primary).getPodIP();
    ActorRef<PodActor.Command> poller = spawnPoller(primary);
    PodActor.Target target = new PodActor.Target(ip, credentials, interval, timeout);
    pollTargets.put(primary, target);
    poller.tell(target);
    goneAndPolled.add(primary);
    poller.tell(PodActor.PodGone.INSTANCE);
  }

  private ActorRef<PodActor.Command> spawnPoller(String pod) {
    ActorRef<PodActor.Command> poller =
        getContext()
            .spawn(
                Behaviors.withMdc(
                    PodActor.Command.class,
                    Map.of("cluster", name, "namespace", namespace, "pod", pod),
                    Behaviors.supervise(
                            PodActor.create(
                                pod, deps.agents(), reportAdapter, deps.metrics(), deps.clock()))
                        .onFailure(
                            SupervisorStrategy.restartWithBackoff(
                                Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2))),
                "pod-" + pod);
    pollers.put(pod, poller);
    return poller;
  }

  /**
   * An ordinal below spec.instances, or the recorded primary: failover and recreation still care
   * about it.
   */
  private boolean stillExpected(String podName) {
    Map<String, String> annotations = cluster.getMetadata().getAnnotations();
    if (annotations != null
        && "on"
            .equalsIgnoreCase(
                annotations.get(io.redisoperator.protocol.naming.Annotations.HIBERNATION))) {
      return false; // deleted on purpose, nothing to fail over from
    }
    boolean primary =
        cluster.getStatus() != null && podName.equals(cluster.getStatus().getCurrentPrimary());
    return primary
        || ResourceNames.ordinalOf(name, podName).orElse(Integer.MAX_VALUE)
            < inForce.cluster().getSpec().getInstances();
  }

  /**
   * Feeds the sentinel quorum metrics while the status carries the {@code SentinelQuorum} condition
   * (sentinel mode).
   */
  private void reportSentinelQuorum(RedisClusterStatus desired, OwnedObjects owned) {
    boolean sentinelMode =
        io.redisoperator.protocol.crd.Conditions.find(
                desired.getConditions(),
                io.redisoperator.protocol.crd.ConditionType.SENTINEL_QUORUM)
            .isPresent();
    if (!sentinelMode) {
      deps.metrics().sentinelQuorum(namespace, name, null, null);
      return;
    }
    SentinelQuorum quorum = SentinelQuorum.of(name, pod -> owned.get(Pod.class, pod));
    deps.metrics().sentinelQuorum(namespace, name, quorum.ok(), quorum.following());
  }

  private static RedisCluster withStatus(RedisCluster cluster, RedisClusterStatus status) {
    RedisCluster copy = new RedisCluster();
    copy.setApiVersion(cluster.getApiVersion());
    copy.setKind(cluster.getKind());
    // A copy: the original belongs to the informer cache and must never be mutated by a request.
    copy.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(cluster.getMetadata()).build());
    copy.setSpec(cluster.getSpec());
    copy.setStatus(status);
    return copy;
  }

  private Behavior<Command> onPostStop() {
    deps.metrics().clusterGone(namespace, name);
    return this;
  }
}
