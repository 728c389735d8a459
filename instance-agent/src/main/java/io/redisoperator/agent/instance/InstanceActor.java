package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.fencing.SelfFencingPolicy;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.SelfFencing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
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
   * System#nanoTime()} based: receipt plus the agent's operation timeout, not the caller's): a
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

  private record AdoptRole(Endpoint replicaOf) implements Command {}

  private record FollowPrimary(Endpoint primary) implements Command {}

  private record OpDone(Transition transition, Throwable error, ActorRef<Outcome> replyTo)
      implements Command {}

  private record StartPrepared(
      Transition transition, Throwable error, ActorRef<StatusReply<Path>> replyTo)
      implements Command {}

  /** Minimum spacing of API reads made for self-fencing and boot resolution. */
  static final long PROBE_INTERVAL_MILLIS = 500;

  /**
   * A primary the controller polled this recently needs no API read to stay writable: that contact
   * holds off self-fencing, and a controller that reaches the agent fences or demotes it directly.
   * Shorter than the isolation bound by more than a probe interval, so that when the polls stop,
   * probing resumes in time to find the API server.
   */
  static final long CONTROLLER_CONTACT_FRESH_MILLIS =
      SelfFencing.ISOLATION_MILLIS - 2 * PROBE_INTERVAL_MILLIS;

  private static final int STASH_CAPACITY = 256;

  /** Minimum spacing of attempts to make Redis apply the writability it has not confirmed. */
  static final long REASSERT_INTERVAL_MILLIS = 500;

  private final InstanceOperations ops;
  private final ClusterReader reader;
  private final StatusBoard board;
  private final StashBuffer<Command> stash;
  private final TimerScheduler<Command> timers;

  /** The newest password seen in the projected file, until Redis has taken it. */
  private ProjectedValue pendingPassword;

  private final Duration opTimeout;
  private InstanceState state;
  private boolean busy;
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

  /**
   * How long a new primary ignores an API server that still records another primary: the controller
   * writes currentPrimary right after a promotion or switchover, and must not race this agent.
   */
  static final long RECORD_CATCH_UP_MILLIS = 5000;

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
                    m, () -> runRequest(ops.promote(state, m.request(), m.executeByNanos()), m)))
        .onMessage(
            Replicate.class,
            m -> whenIdle(m, () -> runRequest(ops.replicate(state, m.primary()), m)))
        .onMessage(
            Fence.class, m -> whenIdle(m, () -> runRequest(ops.fence(state, m.reason(), false), m)))
        .onMessage(Unfence.class, m -> whenIdle(m, () -> runRequest(ops.unfence(state, false), m)))
        .onMessage(
            Switchover.class,
            m ->
                whenIdle(
                    m, () -> runRequest(ops.switchover(state, m.target(), m.timeoutMillis()), m)))
        .onMessage(
            SettingsChanged.class,
            m -> whenIdle(m, () -> runInternal(ops.applySettings(state, m.settings()))))
        .onMessage(PasswordChanged.class, m -> whenIdle(m, () -> onPasswordChanged(m)))
        .onMessage(SelfFence.class, m -> whenIdle(m, () -> onSelfFence(m)))
        .onMessage(RecordedFence.class, m -> whenIdle(m, this::onRecordedFence))
        .onMessage(
            LiftSelfFence.class, m -> whenIdle(m, () -> runInternal(ops.unfence(state, true))))
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

  /** Operations never overlap: while one runs, the next waits in the stash. */
  private Behavior<Command> whenIdle(Command m, Runnable start) {
    if (busy) {
      if (stash.isFull()) {
        log.warn("operation queue full, dropping {}", m.getClass().getSimpleName());
        replyBusy(m);
      } else {
        stash.stash(m);
      }
      return this;
    }
    if (m instanceof Promote p && System.nanoTime() - p.executeByNanos() >= 0) {
      log.warn("promotion expired while queued; not executed");
      p.replyTo()
          .tell(
              Outcome.expired(
                  "the promotion's deadline passed while it waited for the previous operation; not promoted"));
      return this;
    }
    if (m instanceof Switchover sw && System.nanoTime() - sw.startByNanos() >= 0) {
      log.warn("switchover expired while queued; not started");
      sw.replyTo()
          .tell(
              Outcome.expired(
                  "the switchover waited longer than its handoff timeout for the previous operation; not started"));
      return this;
    }
    if (m instanceof Request r && System.nanoTime() >= r.deadlineNanos()) {
      log.warn("{} expired while queued; not executed", m.getClass().getSimpleName());
      r.replyTo()
          .tell(Outcome.timeout("expired while waiting for the previous operation; not executed"));
      return this;
    }
    busy = true;
    start.run();
    return this;
  }

  private void replyBusy(Command m) {
    if (m instanceof Request r) {
      r.replyTo().tell(Outcome.unavailable("agent busy: too many queued operations"));
    }
  }

  /** A request runs until its caller's deadline at most. */
  private void runRequest(CompletionStage<Transition> op, Request request) {
    long remainingNanos = Math.max(1, request.deadlineNanos() - System.nanoTime());
    run(op, request.replyTo(), Duration.ofNanos(remainingNanos));
  }

  /** An operation the agent started itself: nobody to answer, the usual deadline. */
  private void runInternal(CompletionStage<Transition> op) {
    run(op, null, opTimeout);
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

  private void onPasswordChanged(PasswordChanged m) {
    pendingPassword = m.password();
    runInternal(ops.applyPassword(state, m.password()));
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
    busy = false;
    lastOpFinishedMillis = board.nowMillis();
    return stash.unstashAll(this);
  }

  private Behavior<Command> onPrepareStart(PrepareStart m) {
    long startedAt = board.nowMillis();
    getContext()
        .pipeToSelf(
            reader.read().toCompletableFuture(),
            (view, error) -> {
              return new BootViewRead(
                  Optional.ofNullable(error == null ? view : null), startedAt, m.replyTo());
            });
    return this;
  }

  /**
   * Whether an API read started at {@code readStartedAtMillis} may make Redis writable: only when
   * no status that let the controller promote someone else (Redis dead, fenced, held) was sent
   * within the validity of such a report before it. Otherwise the controller may still be acting on
   * that report (fence record, then promotion) after the read; it resolves the instance itself
   * (unfence or promote), or the report expires.
   */
  private boolean mayTurnWritable(long readStartedAtMillis) {
    return board.lastUnwritableReportMillis()
        < readStartedAtMillis - SelfFencing.UNWRITABLE_REPORT_VALIDITY_MILLIS;
  }

  private Behavior<Command> onBootViewRead(BootViewRead m) {
    if (m.view().isPresent()) {
      board.recordApiContact(board.nowMillis());
    }
    getContext()
        .pipeToSelf(
            ops.prepareStart(state, m.view(), mayTurnWritable(m.startedAtMillis()))
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

  private void onSelfFence(SelfFence m) {
    if (!state.writable()) {
      getContext()
          .getSelf()
          .tell(new OpDone(new Transition(state, Outcome.ok("already fenced")), null, null));
      return;
    }
    log.warn("isolated from the API server and every replica: {}", m.reason());
    runInternal(ops.fence(state, m.reason(), true));
  }

  private void onRecordedFence() {
    if (state.fence() != null) {
      getContext()
          .getSelf()
          .tell(new OpDone(new Transition(state, Outcome.ok("already fenced")), null, null));
      return;
    }
    runInternal(ops.fence(state, "listed in status.fencedInstances", false));
  }

  private void onResolveBoot(ResolveBoot m) {
    if (!state.hold()) {
      getContext()
          .getSelf()
          .tell(new OpDone(new Transition(state, Outcome.ok("already resolved")), null, null));
      return;
    }
    runInternal(ops.applyBootPlan(state, m.view(), m.mayTurnWritable()));
  }

  private void onReassertWritability() {
    if (!redisMissesWantedWritability()) {
      getContext()
          .getSelf()
          .tell(new OpDone(new Transition(state, Outcome.ok("already applied")), null, null));
      return;
    }
    runInternal(ops.reassertWritability(state));
  }

  /**
   * A running redis-server that has not confirmed accepting or refusing writes as the state wants.
   */
  private boolean redisMissesWantedWritability() {
    return board.redisRunning()
        && !Boolean.valueOf(state.writable()).equals(board.appliedWritable());
  }

  /**
   * Redis changed role on its own (a FAILOVER handed it the primary role): keep the conf in line
   * with it.
   */
  private void onAdoptRole(AdoptRole m) {
    StatusBoard.Snapshot snapshot = board.snapshot();
    RedisInfo info = board.liveInfo();
    boolean stillTrue =
        info != null
            && snapshot.issuedAtMillis() > lastOpFinishedMillis
            && (m.replicaOf() == null ? info.isPrimary() : !info.isPrimary());
    if (!stillTrue || java.util.Objects.equals(m.replicaOf(), state.replicaOf())) {
      // Queued behind an operation that changed the role, or already adopted: nothing to do.
      getContext()
          .getSelf()
          .tell(new OpDone(new Transition(state, Outcome.ok("nothing to adopt")), null, null));
      return;
    }
    getContext()
        .getLog()
        .info(
            "Redis role changed outside the agent: now {}",
            m.replicaOf() == null ? "primary" : "replica of " + m.replicaOf());
    InstanceState next = state.withReplicaOf(m.replicaOf());
    if (m.replicaOf() == null) {
      becamePrimaryAtMillis = board.nowMillis();
    }
    runInternal(ops.persist(next).thenApply(x -> new Transition(next, Outcome.ok("adopted"))));
  }

  private Behavior<Command> onAgentTlsChanged(AgentTlsChanged m) {
    state = state.withAgentTlsVersion(m.version());
    board.publish(state.view());
    return this;
  }

  private Behavior<Command> onTick() {
    long now = board.nowMillis();
    StatusBoard.Snapshot snapshot = board.snapshot();
    RedisInfo info = board.liveInfo();
    boolean primary = info != null && info.isPrimary();
    boolean replicaEvidence = false;
    if (primary) {
      // Both dates are never later than the replica's real ACK: the heartbeat's send time, or
      // INFO's whole-second age
      // rounded up, from the send time of a snapshot read before the info (so never newer than it).
      // The controller's
      // gate counts on it (no allowance for a late date).
      long replicaContact =
          Math.max(
              board.lastReplicaAckMillis(),
              SelfFencingPolicy.earliestReplicaContact(info, snapshot.issuedAtMillis()));
      replicaEvidence = replicaContact > 0 && now - replicaContact < 1000;
      long lastContact =
          Math.max(
              Math.max(board.lastApiContactMillis(), replicaContact),
              Math.max(board.lastControllerContactMillis(), contactGraceFromMillis));
      if (SelfFencingPolicy.mustSelfFence(true, state.writable(), now, lastContact)) {
        getContext()
            .getSelf()
            .tell(
                new SelfFence(
                    "no contact with the API server, the controller or any replica for "
                        + (now - lastContact)
                        + " ms"));
      }
    }
    boolean replicaLinkDown = info != null && !primary && !Boolean.TRUE.equals(info.masterLinkUp());
    // A lone primary (one instance, or its replicas gone) polled by the controller makes no API
    // reads: a thousand
    // single-instance clusters would otherwise cost the API server two reads a second each.
    boolean controllerEvidence =
        now - board.lastControllerContactMillis() < CONTROLLER_CONTACT_FRESH_MILLIS;
    boolean wantProbe =
        (primary && state.writable() && !replicaEvidence && !controllerEvidence)
            || (replicaLinkDown && state.replicaOf() != null)
            || state.selfFenced()
            || (state.hold() && board.redisRunning() && info != null);
    if (wantProbe && !probing && now - lastProbeStartMillis >= PROBE_INTERVAL_MILLIS) {
      probing = true;
      lastProbeStartMillis = now;
      getContext()
          .pipeToSelf(
              reader.read().toCompletableFuture(), (view, error) -> new Probed(view, error, now));
    }
    adoptRoleIfChanged(info, snapshot);
    if (!busy
        && info != null
        && redisMissesWantedWritability()
        && now - lastReassertMillis >= REASSERT_INTERVAL_MILLIS) {
      lastReassertMillis = now;
      getContext().getSelf().tell(ReassertWritability.INSTANCE);
    }
    return this;
  }

  private void adoptRoleIfChanged(RedisInfo info, StatusBoard.Snapshot snapshot) {
    if (info == null || busy || snapshot.issuedAtMillis() <= lastOpFinishedMillis) {
      return;
    }
    if (info.isPrimary() && state.replicaOf() != null) {
      getContext().getSelf().tell(new AdoptRole(null));
    } else if (!info.isPrimary()
        && state.replicaOf() == null
        && info.masterHost() != null
        && info.masterPort() != null) {
      try {
        getContext()
            .getSelf()
            .tell(new AdoptRole(new Endpoint(info.masterHost(), info.masterPort())));
      } catch (IllegalArgumentException e) {
        log.warn("Redis follows an unusable address {}: {}", info.masterHost(), e.getMessage());
      }
    }
  }

  private Behavior<Command> onProbed(Probed m) {
    probing = false;
    if (m.error() != null) {
      log.debug("API server not reachable: {}", InstanceOperations.rootMessage(m.error()));
      return this;
    }
    // Contact is dated at the read's start, never its end, and a read that shows this pod
    // unreachable or fenced is no
    // contact at all: a read that missed such a record written at W started before W, so a primary
    // that keeps reaching
    // the API server stops counting it as contact and is fenced (by the record, or by isolation)
    // within
    // ISOLATION_MILLIS + CHECK_INTERVAL_MILLIS of W whatever the reads' latency. The controller's
    // gate relies on it.
    String me = ops.layout().podName();
    if (m.view().vouchesFor(me)) {
      board.recordApiContact(m.startedAtMillis());
    }
    if (state.writable() && state.replicaOf() == null) {
      if (m.view().fencedInstances().contains(me)) {
        getContext().getSelf().tell(new RecordedFence());
      } else if (SelfFencingPolicy.anotherPrimaryDesignated(m.view(), me)
          && board.nowMillis() - becamePrimaryAtMillis > RECORD_CATCH_UP_MILLIS) {
        getContext()
            .getSelf()
            .tell(
                new SelfFence(
                    "the API server records " + m.view().currentPrimary() + " as primary"));
      }
    }
    if (state.selfFenced()
        && SelfFencingPolicy.mayLiftSelfFence(m.view(), ops.layout().podName())
        && mayTurnWritable(m.startedAtMillis())) {
      getContext().getSelf().tell(LiftSelfFence.INSTANCE);
    }
    if (state.hold() && board.redisRunning()) {
      getContext().getSelf().tell(new ResolveBoot(m.view(), mayTurnWritable(m.startedAtMillis())));
    }
    Endpoint recorded = recordedPrimary(m.view());
    if (recorded != null && state.replicaOf() != null && !recorded.equals(state.replicaOf())) {
      getContext().getSelf().tell(new FollowPrimary(recorded));
    }
    return this;
  }

  /** The recorded primary's address when it is another pod with a known IP. */
  private Endpoint recordedPrimary(ClusterView view) {
    if (view.currentPrimary() == null
        || view.currentPrimary().equals(ops.layout().podName())
        || view.primaryPodIp() == null
        || view.primaryPodIp().isBlank()) {
      return null;
    }
    try {
      return new Endpoint(view.primaryPodIp(), ops.layout().redisPort());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The primary this replica follows came back under another IP (pods get new IPs): follow it
   * there.
   */
  private void onFollowPrimary(FollowPrimary m) {
    if (state.replicaOf() == null || m.primary().equals(state.replicaOf())) {
      getContext()
          .getSelf()
          .tell(new OpDone(new Transition(state, Outcome.ok("nothing to follow")), null, null));
      return;
    }
    log.info("recorded primary moved from {} to {}: following it", state.replicaOf(), m.primary());
    runInternal(ops.replicate(state, m.primary()));
  }
}
