package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.instance.InstanceCommand.AgentTlsChanged;
import io.redisoperator.agent.instance.InstanceCommand.Fence;
import io.redisoperator.agent.instance.InstanceCommand.PasswordChanged;
import io.redisoperator.agent.instance.InstanceCommand.PrepareStart;
import io.redisoperator.agent.instance.InstanceCommand.Promote;
import io.redisoperator.agent.instance.InstanceCommand.Replicate;
import io.redisoperator.agent.instance.InstanceCommand.Request;
import io.redisoperator.agent.instance.InstanceCommand.SettingsChanged;
import io.redisoperator.agent.instance.InstanceCommand.Switchover;
import io.redisoperator.agent.instance.InstanceCommand.Unfence;
import io.redisoperator.agent.instance.InternalCommand.AdoptRole;
import io.redisoperator.agent.instance.InternalCommand.BootViewRead;
import io.redisoperator.agent.instance.InternalCommand.FollowPrimary;
import io.redisoperator.agent.instance.InternalCommand.LiftSelfFence;
import io.redisoperator.agent.instance.InternalCommand.OpDone;
import io.redisoperator.agent.instance.InternalCommand.Probed;
import io.redisoperator.agent.instance.InternalCommand.ReassertWritability;
import io.redisoperator.agent.instance.InternalCommand.RecordedFence;
import io.redisoperator.agent.instance.InternalCommand.ResolveBoot;
import io.redisoperator.agent.instance.InternalCommand.SelfFence;
import io.redisoperator.agent.instance.InternalCommand.StartPrepared;
import io.redisoperator.agent.instance.InternalCommand.Tick;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.MonotonicClock;
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
public final class InstanceActor extends AbstractBehavior<InstanceCommand> {
  /**
   * A class logger (not the actor's): Pekko's own loggers are quiet by default, these lines must
   * not be.
   */
  private static final Logger log = LoggerFactory.getLogger(InstanceActor.class);

  private static final int STASH_CAPACITY = 256;

  private final InstanceOperations ops;
  private final ClusterReader reader;
  private final StatusBoard board;
  private final OperationQueue queue;
  private final TimerScheduler<InstanceCommand> timers;

  /** The newest password seen in the projected file, until Redis has taken it. */
  private ProjectedValue pendingPassword;

  private final Duration opTimeout;
  private final MonotonicClock clock;
  private InstanceState state;

  private final InstanceWatch watch;

  public static Behavior<InstanceCommand> create(
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
      ActorContext<InstanceCommand> ctx,
      TimerScheduler<InstanceCommand> timers,
      StashBuffer<InstanceCommand> stash,
      InstanceOperations ops,
      ClusterReader reader,
      StatusBoard board,
      InstanceState initial,
      Duration opTimeout) {
    super(ctx);
    this.ops = ops;
    this.reader = reader;
    this.board = board;
    this.timers = timers;
    this.opTimeout = opTimeout;
    this.state = initial;
    this.clock = ops.clock();
    this.queue = new OperationQueue(stash, clock::nanos, board::nowMillis);
    this.watch = new InstanceWatch(board, ops.layout().podName(), ops.layout().redisPort());
    board.publish(initial.view());
    timers.startTimerWithFixedDelay(
        Tick.INSTANCE, Duration.ofMillis(SelfFencing.CHECK_INTERVAL_MILLIS));
  }

  @Override
  public Receive<InstanceCommand> createReceive() {
    return newReceiveBuilder()
        .onMessage(Request.class, m -> whenIdle(m, () -> runRequest(operation(m), m)))
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

  /** Runs the command's operation now, or after the one in flight ({@link OperationQueue}). */
  private Behavior<InstanceCommand> whenIdle(InstanceCommand m, BooleanSupplier start) {
    queue.offer(m, start);
    return this;
  }

  /** The operation a controller's request asks for, on the state as it is when it runs. */
  private CompletionStage<Transition> operation(Request request) {
    if (request instanceof Promote m) {
      return ops.promotion().promote(state, m.request(), m.executeByNanos());
    } else if (request instanceof Replicate m) {
      return ops.replication().replicate(state, m.primary());
    } else if (request instanceof Fence m) {
      return ops.fencing().fence(state, m.reason(), false);
    } else if (request instanceof Unfence) {
      return ops.fencing().unfence(state, false);
    }
    Switchover m = (Switchover) request;
    return ops.promotion().switchover(state, m.target(), m.timeoutMillis());
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

  private Behavior<InstanceCommand> onOpDone(OpDone m) {
    Outcome outcome;
    if (m.error() != null) {
      log.warn("operation failed: {}", InstanceOperations.rootMessage(m.error()));
      outcome = Outcome.failed(m.error());
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
      watch.contactNow();
      watch.becamePrimaryNow();
    }
  }

  private boolean onPasswordChanged(PasswordChanged m) {
    pendingPassword = m.password();
    return runInternal(ops.settings().applyPassword(state, m.password()));
  }

  private Behavior<InstanceCommand> finishOp() {
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
    return queue.finish(this);
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

  private Behavior<InstanceCommand> onBootViewRead(BootViewRead m) {
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

  private Behavior<InstanceCommand> onStartPrepared(StartPrepared m) {
    if (m.error() != null) {
      m.replyTo().tell(StatusReply.error(InstanceOperations.rootMessage(m.error())));
    } else {
      adopt(m.transition().next());
      watch.contactNow();
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
        m.change(),
        state,
        board.liveInfo(),
        watch.infoIssuedAtMillis(),
        queue.lastFinishedMillis())) {
      // Queued behind an operation that changed the role, or already adopted.
      return nothingToDo("role change: nothing to adopt");
    }
    Endpoint replicaOf = m.change().replicaOf();
    log.info(
        "Redis role changed outside the agent: now {}",
        replicaOf == null ? "primary" : "replica of " + replicaOf);
    if (replicaOf == null) {
      watch.becamePrimaryNow();
    }
    return runInternal(ops.replication().adoptRole(state, replicaOf));
  }

  private Behavior<InstanceCommand> onAgentTlsChanged(AgentTlsChanged m) {
    state = state.withAgentTlsVersion(m.version());
    board.publish(state.view());
    return this;
  }

  private Behavior<InstanceCommand> onTick() {
    long now = board.nowMillis();
    TickPlanner.Plan plan = watch.atCheck(now, state, queue.busy(), queue.lastFinishedMillis());
    if (plan.readApi()) {
      getContext()
          .pipeToSelf(
              reader.read().toCompletableFuture(), (view, error) -> new Probed(view, error, now));
    }
    if (plan.unusableMasterAddress() != null) {
      log.warn("Redis follows an unusable address {}", plan.unusableMasterAddress());
    }
    plan.toSelf().forEach(getContext().getSelf()::tell);
    return this;
  }

  private Behavior<InstanceCommand> onProbed(Probed m) {
    if (m.error() != null) {
      watch.readFailed();
      log.debug("API server not reachable: {}", InstanceOperations.rootMessage(m.error()));
      return this;
    }
    // Contact is dated at the read's start, never its end, and a read that shows this pod
    // unreachable or fenced is no contact at all: a read that missed such a record written at W
    // started before W, so a primary that keeps reaching the API server stops counting it as
    // contact and is fenced (by the record, or by isolation) within ISOLATION_MILLIS +
    // CHECK_INTERVAL_MILLIS of W whatever the reads' latency. The controller's gate relies on it.
    watch
        .afterRead(state, m.view(), m.startedAtMillis())
        .toSelf(m.view())
        .forEach(getContext().getSelf()::tell);
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
