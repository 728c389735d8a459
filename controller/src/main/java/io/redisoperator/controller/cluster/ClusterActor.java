package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.ControllerIdentity;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.pod.PodActor;
import io.redisoperator.controller.pod.PodCommand;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.controller.reconcile.Action;
import io.redisoperator.controller.reconcile.Durable;
import io.redisoperator.controller.reconcile.ObservationAssembler;
import io.redisoperator.controller.reconcile.OwnedObjects;
import io.redisoperator.controller.reconcile.Plan;
import io.redisoperator.controller.reconcile.ReconcileInput;
import io.redisoperator.controller.reconcile.SpecInForce;
import io.redisoperator.controller.reconcile.StatusBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.event.EventReason;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * dirty so exactly one more pass follows. A pass is planned by {@link
 * io.redisoperator.controller.reconcile.ReconcilePlanner} from the caches, the pod actors' reports
 * and the durable status, then executed off the actor thread. What the actor remembers between
 * passes lives in named classes ({@link PodReports}, {@link Pollers}, {@link ClusterUpdateFilter},
 * {@link AgentOpCooldown}, {@link FenceWarnings}, {@link UserSecrets}, {@link OutcomeMemory});
 * nothing is kept across restarts that the API server does not also say.
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

  private record UserSecretsRead(UserSecrets.Reading reading) implements Command {}

  private enum Timer implements Command {
    RESYNC,
    WAKE,
    RETRY,
    /** The pass paced reports asked for ({@link PassPacing}). */
    PACED,
    /** The pass that writes a Creating cluster's paced status ({@link StatusWriteGate}). */
    STATUS_DUE
  }

  private final ClusterDeps deps;
  private final String namespace;
  private final String name;
  private final TimerScheduler<Command> timers;
  private final ActionExecutor executor;
  private final ActorRef<PodReport> reportAdapter;
  private final ClusterMetricsFeed metrics;
  private final PodReports reports = new PodReports();
  private final Pollers pollers;
  private final FenceWarnings fenceWarnings = new FenceWarnings();
  private final AgentOpCooldown cooldown;
  private final ClusterUpdateFilter updates = new ClusterUpdateFilter();
  private final UserSecrets secrets;
  private final OutcomeMemory outcomes;
  private final ControllerIdentity identity = new ControllerIdentity();
  private final StatusWriteGate statusGate;
  private RedisCluster cluster;

  /** When this actor started: the bound of the last contact of anything it never heard from. */
  private final Instant observingSince;

  private final PassPacing pacing;

  private boolean busy;
  private boolean dirty;

  /** A paced report arrived while a pass was in flight: a paced pass follows it. */
  private boolean pacedPending;

  /** The resource version of the cluster the pass in flight was planned from. */
  private String passBaseVersion;

  public static Behavior<Command> create(ClusterDeps deps, String namespace, String name) {
    Behavior<Command> behavior =
        Behaviors.setup(
            context ->
                Behaviors.withTimers(
                    timers -> new ClusterActor(context, timers, deps, namespace, name)));
    return Behaviors.withMdc(
        Command.class,
        Map.of("cluster", name, "namespace", namespace),
        Behaviors.supervise(behavior).onFailure(restartWithBackoff()));
  }

  private static SupervisorStrategy restartWithBackoff() {
    return SupervisorStrategy.restartWithBackoff(
        Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
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
    this.metrics = new ClusterMetricsFeed(deps.metrics(), namespace, name);
    this.pollers = new Pollers(this::spawnPoller, context::stop);
    this.cooldown = new AgentOpCooldown(deps.agentOpCooldown());
    this.outcomes = new OutcomeMemory(reports, cooldown, context.getLog());
    // From the user Secrets' informer cache: no GET per resync (see InformerHub).
    this.secrets =
        new UserSecrets(
            secret ->
                java.util.concurrent.CompletableFuture.completedFuture(
                    deps.cache().userSecret(namespace, secret)));
    this.observingSince = deps.clock().instant();
    this.statusGate = new StatusWriteGate(observingSince);
    this.pacing = new PassPacing(observingSince);
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
        .onMessage(Reported.class, m -> onReported(m.report()))
        .onMessage(PassFinished.class, this::onPassFinished)
        .onMessage(AgentOpFinished.class, this::onAgentOpFinished)
        .onMessage(UserSecretsRead.class, m -> secrets.apply(m.reading()) ? trigger() : this)
        .onMessageEquals(Timer.RESYNC, this::onResync)
        .onMessageEquals(Timer.WAKE, this::trigger)
        .onMessageEquals(Timer.RETRY, this::trigger)
        .onMessageEquals(Timer.PACED, this::trigger)
        .onMessageEquals(Timer.STATUS_DUE, this::trigger)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onClusterUpdated(ClusterUpdated message) {
    RedisCluster next = message.cluster();
    if (cluster == null) {
      cluster = next;
      return trigger();
    }
    ClusterUpdateFilter.Verdict verdict = updates.judge(cluster, next, deps.clock().instant());
    if (verdict.userChange()) {
      readUserSecrets(next); // a user added to spec.users gets its password before the resync
    }
    if (!verdict.take()) {
      return this;
    }
    cluster = next;
    return verdict.reconcile() ? trigger() : this;
  }

  /** An owned object or a Secret the spec names changed: the latter's hash and version are read. */
  private Behavior<Command> onOwnedChanged() {
    readUserSecrets(cluster);
    return trigger();
  }

  private Behavior<Command> onResync() {
    if (cluster == null) {
      cluster = deps.cache().cluster(namespace, name).orElse(null);
    }
    readUserSecrets(cluster);
    metrics.certificates(OwnedObjects.of(deps.cache().ownedBy(namespace, name)));
    return trigger();
  }

  /** Reads the user's Secrets (from their own cache); a change is worth a pass. */
  private void readUserSecrets(RedisCluster of) {
    RedisClusterSpec spec = of == null ? null : SpecInForce.of(of).cluster().getSpec();
    if (spec != null) {
      getContext()
          .pipeToSelf(secrets.read(spec), (reading, failure) -> new UserSecretsRead(reading));
    }
  }

  /** A report that can change a decision runs a pass, at once or paced ({@link PassPacing}). */
  private Behavior<Command> onReported(PodReport report) {
    if (!reports.take(report)) {
      return this;
    }
    String primary = cluster == null ? null : recordedPrimary(cluster);
    Duration delay =
        pacing.delay(
            report,
            primary == null ? null : reports.all().get(primary),
            primary,
            deps.clock().instant());
    if (delay.isZero()) {
      return trigger();
    }
    if (busy) {
      pacedPending = true;
    } else if (!timers.isTimerActive(Timer.PACED)) {
      timers.startSingleTimer(Timer.PACED, Timer.PACED, delay);
    }
    return this;
  }

  private static String recordedPrimary(RedisCluster of) {
    return of.getStatus() == null ? null : of.getStatus().getCurrentPrimary();
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
    // This pass takes every report in so far: a paced one waiting has its pass.
    pacedPending = false;
    timers.cancel(Timer.PACED);
    passBaseVersion = cluster.getMetadata().getResourceVersion();
    long started = System.nanoTime();
    // An invalid edit is reported and ignored: everything below runs on the last valid spec.
    SpecInForce inForce = SpecInForce.of(cluster);
    Instant now = deps.clock().instant();
    OwnedObjects owned =
        OwnedObjects.of(outcomes.withPendingWrites(deps.cache().ownedBy(namespace, name), now));
    List<Pod> pods = owned.all(Pod.class);
    fenceWarnings.note(cluster.getStatus(), now);
    ClusterObservation observation =
        ObservationAssembler.assemble(
            cluster,
            pods,
            reports.all(),
            now,
            deps.operatorImage(),
            fenceWarnings.since(),
            observingSince);
    cooldown.expire(now);
    ReconcileInput input =
        new ReconcileInput(
            inForce.cluster(),
            owned,
            observation,
            secrets.authSecretVersion(inForce.cluster().getSpec(), owned, name),
            cooldown::isRecent,
            deps.operatorImage(),
            outcomes.switchover(Durable.of(cluster.getStatus())),
            deps.cache().cordonedNodes(),
            secrets.passwordHashes());
    Plan plan;
    RedisClusterStatus desired;
    try {
      plan = deps.planner().plan(input, inForce);
      desired = StatusBuilder.build(input, plan);
    } catch (RuntimeException e) {
      busy = false;
      throw e; // supervision restarts the actor from the API server's state
    }
    AgentCredentials credentials =
        identity
            .credentials(
                owned.get(Secret.class, ResourceNames.agentCaSecret(name)).orElse(null), now)
            .orElse(null);
    pollers.sync(pods, cluster, inForce.cluster().getSpec(), credentials);
    plan.pollNow().forEach(pollers::pollNow);
    Set<String> notYetReported =
        StatusWriteGate.notYetReported(pods, reports.heardFrom(), cluster.getStatus());
    pacing.started(now, notYetReported, plan.pollNow());
    metrics.planned(cluster.getSpec().getInstances(), desired, owned);
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
      if (action instanceof Action.AgentOperation operation) {
        // Not awaited: its effect shows in the answer, or in a later poll.
        String key = operation.cooldownKey();
        cooldown.sent(key, now);
        getContext().pipeToSelf(stage, (outcome, failure) -> new AgentOpFinished(key, outcome));
      } else {
        awaited.add(stage.toCompletableFuture());
      }
    }
    CompletableFuture<StatusWrite> statusWrite =
        statusWrite(desired, plan.decision() != null, notYetReported, now);
    getContext()
        .pipeToSelf(
            CompletableFuture.allOf(awaited.toArray(CompletableFuture[]::new))
                .thenCombine(statusWrite, (v, write) -> write),
            (write, failure) ->
                new PassFinished(
                    awaited.stream().map(CompletableFuture::join).toList(), write, plan, started));
  }

  /** The pass's status write if due ({@link StatusWriteGate}). */
  private CompletableFuture<StatusWrite> statusWrite(
      RedisClusterStatus desired, boolean decision, Set<String> notYetReported, Instant now) {
    StatusWriteGate.Verdict verdict =
        statusGate.decide(cluster.getStatus(), desired, decision, notYetReported, now);
    if (verdict.when() == StatusWriteGate.When.LATER) {
      // A pass then writes whatever changed meanwhile.
      timers.startSingleTimer(
          Timer.STATUS_DUE, Timer.STATUS_DUE, Duration.between(now, verdict.at()));
      return CompletableFuture.completedFuture(StatusWrite.NONE);
    }
    timers.cancel(Timer.STATUS_DUE);
    return verdict.when() == StatusWriteGate.When.NOW
        ? StatusWrite.write(deps.kube(), cluster, desired, getContext().getLog())
        : CompletableFuture.completedFuture(StatusWrite.NONE);
  }

  private Behavior<Command> onPassFinished(PassFinished finished) {
    busy = false;
    Instant now = deps.clock().instant();
    boolean failures = false;
    for (ActionOutcome outcome : finished.outcomes()) {
      OutcomeMemory.Followup followup = outcomes.learn(outcome, now);
      failures |= followup.failed();
      dirty |= followup.replan();
      if (followup.cluster() != null) {
        cluster = updates.ownWrite(cluster, passBaseVersion, followup.cluster(), now);
      }
      if (followup.pollNow() != null) {
        pollers.pollNow(followup.pollNow());
      }
      if (followup.emit() != null) {
        executor.run(followup.emit(), cluster, null, null);
      }
    }
    StatusWrite write = finished.statusWrite();
    if (write.attempted() && write.failure() == null) {
      cluster = updates.ownWrite(cluster, passBaseVersion, write.result(), now);
      statusGate.written(now);
      // Dated by the confirmed write rather than by the next pass: the gate counts from it (up to a
      // poll earlier).
      fenceWarnings.note(cluster.getStatus(), now);
      if (finished.plan().decision() != null) {
        EventReason event = finished.plan().decisionEvent();
        metrics.decided(event);
        executor.run(new Action.Emit(event, finished.plan().decisionReason()), cluster, null, null);
        dirty = true; // the decision enables the next step: plan it now
      }
    } else if (write.attempted() && KubeGateway.isCode(write.failure(), 409)) {
      getContext().getLog().info("status write conflicted, re-reading the cluster");
      cluster = deps.cache().cluster(namespace, name).orElse(cluster);
      dirty = true;
    } else if (write.attempted()) {
      getContext().getLog().warn("status write failed: {}", write.failure().getMessage());
      failures = true;
    }
    metrics.passFinished(Duration.ofNanos(System.nanoTime() - finished.startedNanos()), failures);
    if (dirty) {
      startPass();
    } else if (pacedPending) {
      pacedPending = false;
      timers.startSingleTimer(Timer.PACED, Timer.PACED, pacing.pacedDelay(now));
    } else if (failures) {
      timers.startSingleTimer(Timer.RETRY, Timer.RETRY, Duration.ofSeconds(2));
    }
    return this;
  }

  private Behavior<Command> onAgentOpFinished(AgentOpFinished finished) {
    OutcomeMemory.Followup followup =
        outcomes.learnFromAgent(finished.key(), finished.outcome(), deps.clock().instant());
    return followup.replan() ? trigger() : this;
  }

  private ActorRef<PodCommand> spawnPoller(String pod) {
    return getContext()
        .spawn(
            Behaviors.withMdc(
                PodCommand.class,
                Map.of("cluster", name, "namespace", namespace, "pod", pod),
                Behaviors.supervise(
                        PodActor.create(
                            pod,
                            deps.agents(),
                            deps.newConnections(),
                            reportAdapter,
                            deps.metrics(),
                            deps.clock()))
                    .onFailure(restartWithBackoff())),
            "pod-" + pod);
  }

  private Behavior<Command> onPostStop() {
    metrics.gone();
    return this;
  }
}
