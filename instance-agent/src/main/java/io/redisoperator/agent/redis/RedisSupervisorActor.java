package io.redisoperator.agent.redis;

import io.redisoperator.agent.config.RedisConfRenderer;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.protocol.crd.InstanceRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps redis-server running: before every start it asks for a freshly prepared conf (the boot
 * guard runs there), restarts a dead server with exponential backoff, counts restarts, and stops it
 * gracefully on request.
 */
public final class RedisSupervisorActor extends AbstractBehavior<RedisSupervisorActor.Command> {
  /**
   * How long a primary that crashed in a cluster with replicas (one connected at some point since
   * the agent started) stays down before restarting: longer than the controller needs to notice
   * (one poll) and promote a replica. A lone primary restarts after the usual backoff. Either way,
   * if the agent reported the death to the controller, the restart comes back held (see {@code
   * BootGuard}) until the controller resolves it or the report expires.
   */
  static final Duration CRASHED_PRIMARY_HOLD = Duration.ofSeconds(5);

  /**
   * A class logger (not the actor's): Pekko's own loggers are quiet by default, these lines must
   * not be.
   */
  private static final Logger log = LoggerFactory.getLogger(RedisSupervisorActor.class);

  public sealed interface Command {}

  /** Start redis-server (no-op when it is running or starting). */
  public enum Start implements Command {
    INSTANCE
  }

  /** Stop redis-server within the grace period and stay stopped. */
  public record Stop(ActorRef<Done> replyTo) implements Command {}

  private record Launched(RedisProcess process, Throwable error) implements Command {}

  private record Exited(long pid, int exitCode) implements Command {}

  private enum Stopped implements Command {
    INSTANCE
  }

  /**
   * @param prepare renders the conf for the next start (runs the boot guard) and yields its path
   */
  public record Settings(
      String binary,
      Duration shutdownGrace,
      Duration minBackoff,
      Duration maxBackoff,
      Duration stableAfter,
      Supplier<CompletionStage<Path>> prepare,
      Executor blocking) {}

  private final Settings settings;
  private final StatusBoard board;
  private final TimerScheduler<Command> timers;
  private RedisProcess current;
  private boolean starting;
  private boolean stopping;
  private long startedAtMillis;
  private Duration backoff;
  private ActorRef<Done> stopReplyTo;

  public static Behavior<Command> create(Settings settings, StatusBoard board) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(timers -> new RedisSupervisorActor(ctx, timers, settings, board)));
  }

  private RedisSupervisorActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      Settings settings,
      StatusBoard board) {
    super(ctx);
    this.timers = timers;
    this.settings = settings;
    this.board = board;
    this.backoff = settings.minBackoff();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, m -> onStart())
        .onMessage(Launched.class, this::onLaunched)
        .onMessage(Exited.class, this::onExited)
        .onMessage(Stop.class, this::onStop)
        .onMessage(Stopped.class, m -> onStopped())
        .build();
  }

  private Behavior<Command> onStart() {
    if (stopping || starting || (current != null && current.isAlive())) {
      return this;
    }
    starting = true;
    // A start under way is reported as a running process: "not running" is the controller's proof
    // that Redis is dead
    // and stays so, which a Redis about to start (perhaps writable) must not give.
    board.recordRedisStarting(null);
    CompletionStage<RedisProcess> launch =
        settings
            .prepare()
            .get()
            .thenApplyAsync(
                conf -> {
                  // Before the exec: from here on a child may be running, and it starts as its conf
                  // says.
                  board.recordRedisStarting(startsWritable(conf));
                  try {
                    return RedisProcess.start(settings.binary(), conf);
                  } catch (Exception e) {
                    throw new IllegalStateException(
                        "cannot start " + settings.binary() + ": " + e.getMessage(), e);
                  }
                },
                settings.blocking());
    getContext().pipeToSelf(launch, Launched::new);
    return this;
  }

  private Behavior<Command> onLaunched(Launched m) {
    starting = false;
    if (m.error() != null && stopping) {
      stopAsync();
      return this;
    }
    if (m.error() != null) {
      board.recordRedisRunning(false);
      log.warn("redis-server not started: {}", rootMessage(m.error()));
      scheduleRestart();
      return this;
    }
    current = m.process(); // the board has said "running" since just before the exec
    startedAtMillis = System.currentTimeMillis();
    if (stopping) {
      stopAsync();
      return this;
    }
    long pid = current.pid();
    getContext()
        .pipeToSelf(
            current.process().onExit(),
            (p, err) -> new Exited(pid, p == null ? -1 : p.exitValue()));
    return this;
  }

  private Behavior<Command> onExited(Exited m) {
    if (current == null || current.pid() != m.pid()) {
      return this;
    }
    current = null;
    board.recordRedisRunning(false);
    if (stopping) {
      return this;
    }
    board.recordRestart();
    Duration delay = backoffFor();
    if (wasWritablePrimaryWithReplicas()) {
      // Restarted at once, this primary would reload an AOF that may miss the last second of
      // acknowledged writes,
      // under a new replication id, and its replicas (which hold those writes) would full-resync
      // from it and drop
      // them. Holding the restart lets the controller see "Redis down" and promote the most
      // caught-up replica; the
      // restart then runs the boot guard and comes back as that replica's follower (or fenced).
      delay = delay.compareTo(CRASHED_PRIMARY_HOLD) > 0 ? delay : CRASHED_PRIMARY_HOLD;
    }
    log.warn(
        "redis-server pid {} exited with code {}; restarting in {} ms",
        m.pid(),
        m.exitCode(),
        delay.toMillis());
    scheduleRestart(delay);
    return this;
  }

  /**
   * What the conf says about writes (null when it cannot be read or says nothing, e.g. a sentinel
   * conf).
   */
  private static Boolean startsWritable(Path conf) {
    try {
      return RedisConfRenderer.writableIn(Files.readString(conf));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * A primary by its last INFO, not fenced, in a cluster where a replica could be promoted: one has
   * been connected at some point since the agent started (not only at the last INFO: a replica
   * resyncing at the crash still counts).
   */
  private boolean wasWritablePrimaryWithReplicas() {
    RedisInfo last = board.lastKnownInfo();
    return last != null
        && last.role() == InstanceRole.PRIMARY
        && board.hadReplicas()
        && !board.view().fenced()
        && !board.view().selfFenced();
  }

  private Duration backoffFor() {
    if (System.currentTimeMillis() - startedAtMillis > settings.stableAfter().toMillis()) {
      backoff = settings.minBackoff();
    }
    return backoff;
  }

  private void scheduleRestart() {
    scheduleRestart(backoffFor());
  }

  private void scheduleRestart(Duration delay) {
    timers.startSingleTimer(Start.INSTANCE, Start.INSTANCE, delay);
    Duration next = backoff.multipliedBy(2);
    backoff = next.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : next;
  }

  private Behavior<Command> onStop(Stop m) {
    stopping = true;
    stopReplyTo = m.replyTo();
    timers.cancelAll();
    if (!starting) {
      stopAsync(); // else the launch in flight is stopped as soon as it lands
    }
    return this;
  }

  private void stopAsync() {
    RedisProcess process = current;
    CompletableFuture<Void> stopped =
        CompletableFuture.runAsync(
            () -> {
              if (process != null) {
                process.stop(settings.shutdownGrace());
              }
            },
            settings.blocking());
    getContext().pipeToSelf(stopped, (ok, err) -> Stopped.INSTANCE);
  }

  private Behavior<Command> onStopped() {
    current = null;
    board.recordRedisRunning(false);
    if (stopReplyTo != null) {
      stopReplyTo.tell(Done.getInstance());
    }
    return this;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
