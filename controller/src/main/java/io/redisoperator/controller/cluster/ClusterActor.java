package io.redisoperator.controller.cluster;

import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.cluster.ClusterCommand.ClusterUpdated;
import io.redisoperator.controller.cluster.ClusterCommand.OwnedChanged;
import io.redisoperator.controller.cluster.InternalCommand.AgentOpFinished;
import io.redisoperator.controller.cluster.InternalCommand.PassFinished;
import io.redisoperator.controller.cluster.InternalCommand.Reported;
import io.redisoperator.controller.cluster.InternalCommand.Timer;
import io.redisoperator.controller.cluster.InternalCommand.UserSecretsRead;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.pod.PodCommand;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.controller.reconcile.Action;
import io.redisoperator.controller.reconcile.OwnedObjects;
import io.redisoperator.controller.reconcile.Plan;
import io.redisoperator.controller.reconcile.SpecInForce;
import io.redisoperator.controller.reconcile.StatusBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.event.EventReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * {@link AgentOpCooldown}, {@link FenceWarnings}, {@link UserSecrets}, {@link OutcomeMemory}); what
 * a report asks for is {@link ReportIntake}'s, a pass's input is assembled by {@link
 * PassInput.Assembler}, whether its status goes out is {@link StatusWriteGate}'s call. Nothing is
 * kept across restarts that the API server does not also say.
 */
public final class ClusterActor extends AbstractBehavior<ClusterCommand> {

  private final ClusterDeps deps;
  private final KubeGateway kube;
  private final String namespace;
  private final String name;
  private final TimerScheduler<ClusterCommand> timers;
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
  private final StatusWriteGate statusGate;
  private final PassPacing pacing;
  private final ReportIntake intake;
  private final PassInput.Assembler passInputs;
  private RedisCluster cluster;

  private boolean busy;
  private boolean dirty;

  /** A paced report arrived while a pass was in flight: a paced pass follows it. */
  private boolean pacedPending;

  /** The resource version of the cluster the pass in flight was planned from. */
  private String passBaseVersion;

  /**
   * @param seniority the order the controller took this cluster up in, from 1: its API calls queue
   *     behind those of the clusters taken up before it ({@link KubeGateway#ranked})
   */
  public static Behavior<ClusterCommand> create(
      ClusterDeps deps, String namespace, String name, long seniority) {
    Behavior<ClusterCommand> behavior =
        Behaviors.setup(
            context ->
                Behaviors.withTimers(
                    timers -> new ClusterActor(context, timers, deps, namespace, name, seniority)));
    return Behaviors.withMdc(
        ClusterCommand.class,
        Map.of("cluster", name, "namespace", namespace),
        Behaviors.supervise(behavior).onFailure(restartWithBackoff()));
  }

  static SupervisorStrategy restartWithBackoff() {
    return SupervisorStrategy.restartWithBackoff(
        Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
  }

  private ClusterActor(
      ActorContext<ClusterCommand> context,
      TimerScheduler<ClusterCommand> timers,
      ClusterDeps deps,
      String namespace,
      String name,
      long seniority) {
    super(context);
    this.deps = deps;
    this.kube = deps.kube().ranked(seniority);
    this.namespace = namespace;
    this.name = name;
    this.timers = timers;
    this.executor = new ActionExecutor(kube, deps.agents());
    this.reportAdapter = context.messageAdapter(PodReport.class, Reported::new);
    this.metrics = new ClusterMetricsFeed(deps.metrics(), namespace, name);
    this.pollers = new Pollers(this::spawnPoller, context::stop);
    this.cooldown = new AgentOpCooldown(deps.agentOpCooldown());
    this.outcomes = new OutcomeMemory(reports, cooldown, context.getLog());
    // From the user Secrets' informer cache: no GET per resync (see InformerHub).
    this.secrets =
        new UserSecrets(
            secret ->
                CompletableFuture.completedFuture(deps.cache().userSecret(namespace, secret)));
    // When this actor started: the bound of the last contact of anything it never heard from.
    Instant observingSince = deps.clock().instant();
    this.statusGate = new StatusWriteGate(observingSince);
    this.pacing = new PassPacing(observingSince);
    this.intake = new ReportIntake(reports, pacing);
    this.passInputs =
        new PassInput.Assembler(
            deps,
            namespace,
            name,
            reports,
            fenceWarnings,
            cooldown,
            secrets,
            outcomes,
            observingSince);
    // Start from what the API server says (through the cache), never from a previous incarnation's
    // memory.
    this.cluster = deps.cache().cluster(namespace, name).orElse(null);
    // At a rate, at the cluster's own phase: no lockstep with the others (see ResyncPhase).
    timers.startTimerAtFixedRate(
        Timer.RESYNC,
        Timer.RESYNC,
        ResyncPhase.firstDelay(cluster, namespace, name, deps.resyncInterval()),
        deps.resyncInterval());
    context.getSelf().tell(Timer.RESYNC);
  }

  @Override
  public Receive<ClusterCommand> createReceive() {
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

  private Behavior<ClusterCommand> onClusterUpdated(ClusterUpdated message) {
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
  private Behavior<ClusterCommand> onOwnedChanged() {
    readUserSecrets(cluster);
    return trigger();
  }

  private Behavior<ClusterCommand> onResync() {
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

  /** A report that can change a decision runs a pass, at once or paced ({@link ReportIntake}). */
  private Behavior<ClusterCommand> onReported(PodReport report) {
    ReportIntake.Verdict verdict = intake.take(report, cluster, deps.clock().instant());
    verdict.recheck().forEach(pollers::pollNow);
    if (getContext().getLog().isDebugEnabled()) {
      getContext().getLog().debug("report {}{}", ReportLine.of(report), verdict.note());
    }
    if (verdict.passIn().isEmpty()) {
      return this;
    }
    if (verdict.passIn().get().isZero()) {
      return trigger();
    }
    if (busy) {
      pacedPending = true;
    } else if (!timers.isTimerActive(Timer.PACED)) {
      timers.startSingleTimer(Timer.PACED, Timer.PACED, verdict.passIn().get());
    }
    return this;
  }

  private Behavior<ClusterCommand> trigger() {
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
    long startedNanos = System.nanoTime();
    Instant now = deps.clock().instant();
    PassInput pass = passInputs.assemble(cluster, now);
    OwnedObjects owned = pass.owned();
    // The pollers first: what they need (the pods, their addresses, the credentials) is in the
    // input, not the plan, and a restart's first passes of every cluster would otherwise delay
    // every first contact by the planning of all of them (docs/performance.md, "Density").
    AgentCredentials credentials = pass.credentials();
    pollers.sync(pass.pods(), cluster, pass.inForce().cluster().getSpec(), credentials);
    Plan plan;
    RedisClusterStatus desired;
    try {
      plan = deps.planner().plan(pass.reconcile(), pass.inForce());
      desired = StatusBuilder.build(pass.reconcile(), plan);
    } catch (RuntimeException e) {
      busy = false;
      throw e; // supervision restarts the actor from the API server's state
    }
    if (!plan.pollNow().isEmpty()) {
      getContext().getLog().debug("poll now for a decision: {}", plan.pollNow());
    }
    plan.pollNow().forEach(pollers::pollNow);
    pacing.started(
        now,
        pass.firstContactPending(),
        plan.pollNow(),
        !StatusBuilder.beingCreated(cluster.getStatus()));
    metrics.planned(cluster.getSpec().getInstances(), desired, owned);
    if (plan.wakeAt() != null) {
      Duration in = Duration.between(now, plan.wakeAt());
      timers.startSingleTimer(Timer.WAKE, Timer.WAKE, in.isNegative() ? Duration.ZERO : in);
    }
    if (plan.decision() != null) {
      getContext().getLog().info("decision: {}", plan.decisionReason());
    }
    ActionExecutor.Started started =
        executor.runAll(plan.actions(), cluster, owned, credentials, getContext().getLog());
    for (ActionExecutor.SentOperation sent : started.operations()) {
      cooldown.sent(sent.cooldownKey(), now);
      getContext()
          .pipeToSelf(
              sent.outcome(),
              (outcome, failure) -> new AgentOpFinished(sent.cooldownKey(), outcome));
    }
    CompletableFuture<StatusWrite> statusWrite =
        statusWrite(desired, plan.decision() != null, pass.notYetReported(), now);
    getContext()
        .pipeToSelf(
            started
                .awaited()
                .thenCombine(
                    statusWrite,
                    (outcomes, write) -> new PassFinished(outcomes, write, plan, startedNanos)),
            (finished, failure) -> finished);
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
        ? StatusWrite.write(kube, cluster, desired, getContext().getLog())
        : CompletableFuture.completedFuture(StatusWrite.NONE);
  }

  private Behavior<ClusterCommand> onPassFinished(PassFinished finished) {
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
    // Sent, not awaited (a failed one is counted by the gateway).
    LifecycleEvents.of(finished.outcomes()).forEach(e -> executor.run(e, cluster, null, null));
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

  private Behavior<ClusterCommand> onAgentOpFinished(AgentOpFinished finished) {
    OutcomeMemory.Followup followup =
        outcomes.learnFromAgent(finished.key(), finished.outcome(), deps.clock().instant());
    return followup.replan() ? trigger() : this;
  }

  private ActorRef<PodCommand> spawnPoller(String pod) {
    return getContext()
        .spawn(
            Pollers.poller(deps, namespace, name, pod, reportAdapter),
            "pod-" + pod,
            Pollers.DISPATCHER);
  }

  private Behavior<ClusterCommand> onPostStop() {
    metrics.gone();
    return this;
  }
}
