package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.agent.MonotonicClock;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.SelfFencing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides WHEN things happen to the instance: runs one operation at a time (stashing the rest),
 * keeps the desired {@link InstanceState}, and watches for isolation (self-fencing). {@link
 * InstanceOperations} decides how.
 */
public final class InstanceActor extends AbstractBehavior<InstanceActor.Command> {
  /**
   * A class logger (not the actor's): Pekko's own loggers are quiet by default, these lines must
   * not be.
   */
  private static final Logger log = LoggerFactory.getLogger(InstanceActor.class);

  public sealed interface Command {}

  /**
   * A request from the controller. It carries the agent's deadline for it ({@link
   * MonotonicClock#nanos()} based: receipt plus the agent's operation timeout, not the caller's): a
   * request still queued when it expires is answered with a timeout and never executed. The
   * caller's own deadline is known only for a promotion ({@link PromoteRequest#timeoutMillis()},
   * see {@link Promote#executeByNanos()}).
   */
  public sealed interface Request extends Command {
    long deadlineNanos();

    ActorRef<Outcome> replyTo();
  }

  /**
   * @param executeByNanos the caller's deadline (at the latest {@code deadlineNanos}): a promotion
   *     not started by then, queued or waiting for Redis, is refused with 408, so a controller that
   *     gave up on it and promotes another replica never sees it happen later
   */
  public record Promote(
      PromoteRequest request, long deadlineNanos, long executeByNanos, ActorRef<Outcome> replyTo)
      implements Request {}

  public record Replicate(Endpoint primary, long deadlineNanos, ActorRef<Outcome> replyTo)
      implements Request {}

  public record Fence(String reason, long deadlineNanos, ActorRef<Outcome> replyTo)
      implements Request {}

  public record Unfence(long deadlineNanos, ActorRef<Outcome> replyTo) implements Request {}

  /**
   * @param startByNanos a handoff not started by then (its own timeout after receipt) is refused
   *     with 408: the controller waits the operation timeout plus the handoff timeout, so a handoff
   *     that began later could complete after it gave up and left the role with an instance it no
   *     longer records
   */
  public record Switchover(
      Endpoint target,
      long timeoutMillis,
      long deadlineNanos,
      long startByNanos,
      ActorRef<Outcome> replyTo)
      implements Request {}

  /**
   * From the supervisor before every redis-server start: run the boot guard and render the conf.
   */
  public record PrepareStart(ActorRef<StatusReply<Path>> replyTo) implements Command {}

  public record SettingsChanged(InstanceSettings settings) implements Command {}

  public record PasswordChanged(ProjectedValue password) implements Command {}

  public record AgentTlsChanged(String version) implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Probed(ClusterView view, Throwable error, long startedAtMillis)
      implements Command {}

  private record BootViewRead(
      Optional<ClusterView> view, long startedAtMillis, ActorRef<StatusReply<Path>> replyTo)
      implements Command {}

  private record SelfFence(String reason) implements Command {}

  /**
   * The API server lists this pod in status.fencedInstances: fenced as if the controller had asked.
   */
  private record RecordedFence() implements Command {}

  private enum LiftSelfFence implements Command {
    INSTANCE
  }

  private record ResolveBoot(ClusterView view, boolean mayTurnWritable) implements Command {}

  /**
   * Redis has not confirmed the writability the state wants (a CONFIG SET failed or is unknown):
   * apply it again.
   */
  private enum ReassertWritability implements Command {
    INSTANCE
  }

  private record AdoptRole(TickPlanner.RoleChange change) implements Command {}

  private record FollowPrimary(Endpoint primary) implements Command {}

  private record OpDone(Transition transition, Throwable error, ActorRef<Outcome> replyTo)
      implements Command {}

  /** What the actor started and when: the busy state that holds every other operation back. */
  private record Running(String operation, long sinceMillis) {}

  private record StartPrepared(
      Transition transition, Throwable error, ActorRef<StatusReply<Path>> replyTo)
      implements Command {}

  private static final int STASH_CAPACITY = 256;

  private final InstanceOperations ops;
  private final ClusterReader reader;
  private final StatusBoard board;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;

  /** The newest password seen in the projected file, until Redis has taken it. */
  private ProjectedValue pendingPassword;

  private final Duration opTimeout;
  private final MonotonicClock clock;
  private InstanceState state;

  /** The operation in flight, until its end arrives as a message; null while idle. */
  private Running running;

  private boolean probing;
  private long lastProbeStartMillis;
  private long contactGraceFromMillis;
  private long lastOpFinishedMillis;
  private long lastReassertMillis;

  /**
   * When this instance last became a writable primary (boot, promote, or a FAILOVER handing it the
   * role).
   */
  private long becamePrimaryAtMillis;

  public static Behavior<Command> create(
      InstanceOperations ops,
      ClusterReader reader,
      StatusBoard board,
      InstanceState initial,
      Duration opTimeout) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    Behaviors.withStash(
                        STASH_CAPACITY,
                        stash ->
                            new InstanceActor(
                                ctx, timers, stash, ops, reader, board, initial, opTimeout))));
  }

  private InstanceActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      StashBuffer<Command> stash,
      InstanceOperations ops,
      ClusterReader reader,
      StatusBoard board,
      InstanceState initial,
      Duration opTimeout) {
    super(ctx);
    this.ops = ops;
    this.reader = reader;
    this.board = board;
    this.stash = stash;
    this.timers = timers;
    this.opTimeout = opTimeout;
    this.state = initial;
    this.clock = ops.clock();
    this.contactGraceFromMillis = board.nowMillis();
    board.publish(initial.view());
    timers.startTimerWithFixedDelay(
        Tick.INSTANCE, Duration.ofMillis(SelfFencing.CHECK_INTERVAL_MILLIS));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(
            Promote.class,
            m ->
                whenIdle(
                    m,
                    () ->
                        runRequest(
                            ops.promotion().promote(state, m.request(), m.executeByNanos()), m)))
        .onMessage(
            Replicate.class,
            m -> whenIdle(m, () -> runRequest(ops.replication().replicate(state, m.primary()), m)))
        .onMessage(
            Fence.class,
            m -> whenIdle(m, () -> runRequest(ops.fencing().fence(state, m.reason(), false), m)))
        .onMessage(
            Unfence.class,
            m -> whenIdle(m, () -> runRequest(ops.fencing().unfence(state, false), m)))
        .onMessage(
            Switchover.class,
            m ->
                whenIdle(
                    m,
                    () ->
                        runRequest(
                            ops.promotion().switchover(state, m.target(), m.timeoutMillis()), m)))
        .onMessage(
            SettingsChanged.class,
            m -> whenIdle(m, () -> runInternal(ops.settings().applySettings(state, m.settings()))))
        .onMessage(PasswordChanged.class, m -> whenIdle(m, () -> onPasswordChanged(m)))
        .onMessage(SelfFence.class, m -> whenIdle(m, () -> onSelfFence(m)))
        .onMessage(RecordedFence.class, m -> whenIdle(m, this::onRecordedFence))
        .onMessage(
            LiftSelfFence.class,
            m -> whenIdle(m, () -> runInternal(ops.fencing().unfence(state, true))))
        .onMessage(ResolveBoot.class, m -> whenIdle(m, () -> onResolveBoot(m)))
        .onMessage(ReassertWritability.class, m -> whenIdle(m, this::onReassertWritability))
        .onMessage(AdoptRole.class, m -> whenIdle(m, () -> onAdoptRole(m)))
        .onMessage(FollowPrimary.class, m -> whenIdle(m, () -> onFollowPrimary(m)))
        .onMessage(PrepareStart.class, m -> whenIdle(m, () -> onPrepareStart(m)))
        .onMessage(BootViewRead.class, this::onBootViewRead)
        .onMessage(StartPrepared.class, this::onStartPrepared)
        .onMessage(OpDone.class, this::onOpDone)
        .onMessage(AgentTlsChanged.class, this::onAgentTlsChanged)
        .onMessage(Tick.class, m -> onTick())
        .onMessage(Probed.class, this::onProbed)
        .build();
  }

  /**
   * Operations never overlap: while one runs, the next waits in the stash. {@code start} answers
   * whether it started an operation (whose end arrives as a message); one with nothing left to do
   * leaves the actor idle.
   */
  private Behavior<Command> whenIdle(Command m, BooleanSupplier start) {
    if (running != null) {
      if (stash.isFull()) {
        log.warn("operation queue full, dropping {}", m.getClass().getSimpleName());
        replyBusy(m);
      } else {
        stash.stash(m);
      }
      return this;
    }
    long nowNanos = clock.nanos();
    if (m instanceof Promote p && nowNanos - p.executeByNanos() >= 0) {
      log.warn("promotion expired while queued; not executed");
      p.replyTo()
          .tell(
              Outcome.expired(
                  "the promotion's deadline passed while it waited for the previous operation; not promoted"));
      return this;
    }
    if (m instanceof Switchover sw && nowNanos - sw.startByNanos() >= 0) {
      log.warn("switchover expired while queued; not started");
      sw.replyTo()
          .tell(
              Outcome.expired(
                  "the switchover waited longer than its handoff timeout for the previous operation; not started"));
      return this;
    }
    if (m instanceof Request r && nowNanos - r.deadlineNanos() >= 0) {
      log.warn("{} expired while queued; not executed", m.getClass().getSimpleName());
      r.replyTo()
          .tell(Outcome.timeout("expired while waiting for the previous operation; not executed"));
      return this;
    }
    if (start.getAsBoolean()) {
      running = new Running(m.getClass().getSimpleName(), board.nowMillis());
    }
    return this;
  }

  private void replyBusy(Command m) {
    if (m instanceof Request r) {
      r.replyTo().tell(Outcome.unavailable("agent busy: too many queued operations"));
    }
  }

  /** A request runs until its caller's deadline at most. */
  private boolean runRequest(CompletionStage<Transition> op, Request request) {
    long remainingNanos = Math.max(1, request.deadlineNanos() - clock.nanos());
    run(op, request.replyTo(), Duration.ofNanos(remainingNanos));
    return true;
  }

  /** An operation the agent started itself: nobody to answer, the usual deadline. */
  private boolean runInternal(CompletionStage<Transition> op) {
    run(op, null, opTimeout);
    return true;
  }

  /** Nothing to do after all (the state moved on while the message waited): stays idle. */
  private boolean nothingToDo(String why) {
    log.debug("{}: nothing to do", why);
    return false;
  }

  private void run(CompletionStage<Transition> op, ActorRef<Outcome> replyTo, Duration deadline) {
    getContext()
        .pipeToSelf(
            op.toCompletableFuture()
                .orTimeout(deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
            (t, error) -> new OpDone(t, error, replyTo));
  }

  private Behavior<Command> onOpDone(OpDone m) {
    Outcome outcome;
    if (m.error() != null) {
      String message = InstanceOperations.rootMessage(m.error());
      log.warn("operation failed: {}", message);
      outcome =
          m.error() instanceof java.util.concurrent.TimeoutException
                  || m.error().getCause() instanceof java.util.concurrent.TimeoutException
              ? Outcome.timeout("operation did not finish in time: " + message)
              : Outcome.unavailable(message);
    } else {
      adopt(m.transition().next());
      outcome = m.transition().outcome();
    }
    if (m.replyTo() != null) {
      m.replyTo().tell(outcome);
    }
    return finishOp();
  }

  private void adopt(InstanceState next) {
    boolean becameWritablePrimary =
        next.writable()
            && next.replicaOf() == null
            && !(state.writable() && state.replicaOf() == null);
    state = next;
    board.publish(state.view());
    if (becameWritablePrimary) {
      // The controller just made this the primary (or confirmed it): that is contact.
      contactGraceFromMillis = board.nowMillis();
      becamePrimaryAtMillis = board.nowMillis();
    }
  }

  private boolean onPasswordChanged(PasswordChanged m) {
    pendingPassword = m.password();
    return runInternal(ops.settings().applyPassword(state, m.password()));
  }

  private Behavior<Command> finishOp() {
    if (pendingPassword != null) {
      if (pendingPassword.equals(state.password())) {
        pendingPassword = null;
      } else if (!timers.isTimerActive(PasswordChanged.class)) {
        // Not taken yet (Redis busy or restarting): the projected file will not change again, so
        // retry.
        timers.startSingleTimer(
            PasswordChanged.class, new PasswordChanged(pendingPassword), Duration.ofSeconds(1));
      }
    }
    running = null;
    lastOpFinishedMillis = board.nowMillis();
    return stash.unstashAll(this);
  }

  private boolean onPrepareStart(PrepareStart m) {
    long startedAt = board.nowMillis();
    getContext()
        .pipeToSelf(
            reader.read().toCompletableFuture(),
            (view, error) -> {
              return new BootViewRead(
                  Optional.ofNullable(error == null ? view : null), startedAt, m.replyTo());
            });
    return true;
  }

  private Behavior<Command> onBootViewRead(BootViewRead m) {
    if (m.view().isPresent()) {
      board.recordApiContact(board.nowMillis());
    }
    getContext()
        .pipeToSelf(
            ops.boot()
                .prepareStart(
                    state,
                    m.view(),
                    ApiReadPlanner.mayTurnWritable(
                        board.lastUnwritableReportMillis(), m.startedAtMillis()))
                .toCompletableFuture(),
            (t, error) -> new StartPrepared(t, error, m.replyTo()));
    return this;
  }

  private Behavior<Command> onStartPrepared(StartPrepared m) {
    if (m.error() != null) {
      m.replyTo().tell(StatusReply.error(InstanceOperations.rootMessage(m.error())));
    } else {
      adopt(m.transition().next());
      contactGraceFromMillis = board.nowMillis();
      m.replyTo().tell(StatusReply.success((Path) m.transition().outcome().body()));
    }
    return finishOp();
  }

  private boolean onSelfFence(SelfFence m) {
    if (!state.writable()) {
      return nothingToDo("self-fence: already fenced");
    }
    log.warn("isolated from the API server and every replica: {}", m.reason());
    return runInternal(ops.fencing().fence(state, m.reason(), true));
  }

  private boolean onRecordedFence() {
    if (state.fence() != null) {
      return nothingToDo("recorded fence: already fenced");
    }
    return runInternal(ops.fencing().fence(state, "listed in status.fencedInstances", false));
  }

  private boolean onResolveBoot(ResolveBoot m) {
    if (!state.hold()) {
      return nothingToDo("boot: already resolved");
    }
    return runInternal(ops.boot().applyBootPlan(state, m.view(), m.mayTurnWritable()));
  }

  private boolean onReassertWritability() {
    if (!TickPlanner.missesWantedWritability(
        board.redisRunning(), state, board.appliedWritable())) {
      return nothingToDo("writability: already applied");
    }
    return runInternal(ops.fencing().reassertWritability(state));
  }

  /**
   * Redis changed role on its own (a FAILOVER handed it the primary role): keep the conf in line
   * with it.
   */
  private boolean onAdoptRole(AdoptRole m) {
    if (!TickPlanner.roleChangeStillToAdopt(
        m.change(), state, board.liveInfo(), infoIssuedAtMillis(), lastOpFinishedMillis)) {
      // Queued behind an operation that changed the role, or already adopted.
      return nothingToDo("role change: nothing to adopt");
    }
    Endpoint replicaOf = m.change().replicaOf();
    log.info(
        "Redis role changed outside the agent: now {}",
        replicaOf == null ? "primary" : "replica of " + replicaOf);
    if (replicaOf == null) {
      becamePrimaryAtMillis = board.nowMillis();
    }
    return runInternal(ops.replication().adoptRole(state, replicaOf));
  }

  private Behavior<Command> onAgentTlsChanged(AgentTlsChanged m) {
    state = state.withAgentTlsVersion(m.version());
    board.publish(state.view());
    return this;
  }

  /** When the latest INFO was sent; 0 before the first. */
  private long infoIssuedAtMillis() {
    StatusBoard.Snapshot snapshot = board.snapshot();
    return snapshot == null ? 0 : snapshot.issuedAtMillis();
  }

  private Behavior<Command> onTick() {
    long now = board.nowMillis();
    TickPlanner.Plan plan =
        TickPlanner.atCheck(
            new TickPlanner.Facts(
                now,
                state,
                board.liveInfo(),
                infoIssuedAtMillis(),
                board.lastReplicaAckMillis(),
                board.lastApiContactMillis(),
                board.lastControllerContactMillis(),
                contactGraceFromMillis,
                board.redisRunning(),
                board.appliedWritable(),
                running != null,
                lastOpFinishedMillis,
                probing,
                lastProbeStartMillis,
                lastReassertMillis));
    if (plan.selfFenceReason() != null) {
      getContext().getSelf().tell(new SelfFence(plan.selfFenceReason()));
    }
    if (plan.readApi()) {
      probing = true;
      lastProbeStartMillis = now;
      getContext()
          .pipeToSelf(
              reader.read().toCompletableFuture(), (view, error) -> new Probed(view, error, now));
    }
    if (plan.adoptRole() != null) {
      getContext().getSelf().tell(new AdoptRole(plan.adoptRole()));
    }
    if (plan.unusableMasterAddress() != null) {
      log.warn("Redis follows an unusable address {}", plan.unusableMasterAddress());
    }
    if (plan.reassertWritability()) {
      lastReassertMillis = now;
      getContext().getSelf().tell(ReassertWritability.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onProbed(Probed m) {
    probing = false;
    if (m.error() != null) {
      log.debug("API server not reachable: {}", InstanceOperations.rootMessage(m.error()));
      return this;
    }
    // Contact is dated at the read's start, never its end, and a read that shows this pod
    // unreachable or fenced is no contact at all: a read that missed such a record written at W
    // started before W, so a primary that keeps reaching the API server stops counting it as
    // contact and is fenced (by the record, or by isolation) within ISOLATION_MILLIS +
    // CHECK_INTERVAL_MILLIS of W whatever the reads' latency. The controller's gate relies on it.
    ApiReadPlanner.Plan plan =
        ApiReadPlanner.afterRead(
            new ApiReadPlanner.Facts(
                ops.layout().podName(),
                ops.layout().redisPort(),
                state,
                m.view(),
                m.startedAtMillis(),
                board.nowMillis(),
                becamePrimaryAtMillis,
                board.redisRunning(),
                board.lastUnwritableReportMillis()));
    if (plan.contact()) {
      board.recordApiContact(m.startedAtMillis());
    }
    if (plan.fenceAsRecorded()) {
      getContext().getSelf().tell(new RecordedFence());
    }
    if (plan.selfFenceReason() != null) {
      getContext().getSelf().tell(new SelfFence(plan.selfFenceReason()));
    }
    if (plan.liftSelfFence()) {
      getContext().getSelf().tell(LiftSelfFence.INSTANCE);
    }
    if (plan.resolveBoot() != null) {
      getContext().getSelf().tell(new ResolveBoot(m.view(), plan.resolveBoot()));
    }
    if (plan.follow() != null) {
      getContext().getSelf().tell(new FollowPrimary(plan.follow()));
    }
    return this;
  }

  /**
   * The primary this replica follows came back under another IP (pods get new IPs): follow it
   * there.
   */
  private boolean onFollowPrimary(FollowPrimary m) {
    if (state.replicaOf() == null || m.primary().equals(state.replicaOf())) {
      return nothingToDo("recorded primary: nothing to follow");
    }
    log.info("recorded primary moved from {} to {}: following it", state.replicaOf(), m.primary());
    return runInternal(ops.replication().replicate(state, m.primary()));
  }
}
