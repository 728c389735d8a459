package io.redisoperator.agent.sentinel;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.agent.kube.ClusterView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Sentinel pointed at the primary recorded in {@code status.currentPrimary}: on every watch
 * event and every interval it reads the RedisCluster and the primary pod's IP (from the informer
 * caches), asks Sentinel what it monitors and re-points it when they differ ({@link
 * MonitorDecision}), and makes it forget replicas and sentinels whose pods are gone ({@link
 * StaleEntries}). A changed auth password is pushed with {@code SENTINEL SET auth-pass} at the next
 * pass. Passes never overlap; the blocking calls run on the executor.
 */
public final class SentinelActor extends AbstractBehavior<SentinelActor.Command> {
  /**
   * A class logger (not the actor's): Pekko's own loggers are quiet by default, these lines must
   * not be.
   */
  private static final Logger log = LoggerFactory.getLogger(SentinelActor.class);

  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private enum RetryPass implements Command {
    INSTANCE
  }

  /** The projected auth password changed. */
  public record PasswordChanged() implements Command {}

  /**
   * The RedisCluster or a data pod changed (a watch event): follow the record now rather than at
   * the next tick.
   */
  public enum ClusterChanged implements Command {
    INSTANCE
  }

  /**
   * What a pass changed: {@code repoint} describes a re-point, {@code staleReset} the stale entries
   * it made Sentinel forget (null: none); {@code recordRead} the API record was read.
   */
  private record PassResult(
      String repoint, String staleReset, boolean authPushed, boolean recordRead) {}

  private record PassDone(PassResult result, boolean authRequested, Throwable error)
      implements Command {}

  /**
   * @param masterName the name Sentinel monitors the cluster under (the cluster name)
   * @param redisPort the data pods' Redis port
   */
  public record Settings(String masterName, int redisPort, Duration interval) {}

  /**
   * A pass wanted while redis-sentinel is (re)starting, or one that failed, is retried this soon
   * rather than at the next interval (passes are cheap: the record comes from the watch cache,
   * Sentinel is local).
   */
  private static final Duration RETRY_SOON = Duration.ofMillis(250);

  private final TimerScheduler<Command> timers;
  private final Settings settings;
  private final ClusterReader reader;
  private final SentinelCommands sentinel;
  private final SentinelBoard board;
  private final Supplier<String> password;
  private final BooleanSupplier running;
  private final Executor blocking;
  private boolean busy;
  private boolean authPending;
  private boolean passPending;
  private String lastError;

  /** The last deferred reset logged (written on the blocking executor, one pass at a time). */
  private volatile String lastDeferredReset;

  public static Behavior<Command> create(
      Settings settings,
      ClusterReader reader,
      SentinelCommands sentinel,
      SentinelBoard board,
      Supplier<String> password,
      BooleanSupplier running,
      Executor blocking) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(
                      Tick.INSTANCE, Tick.INSTANCE, settings.interval());
                  // A first pass now, retried soon until it has read the record: the interval can
                  // be long, and the
                  // watch or redis-sentinel may not be ready yet.
                  ctx.getSelf().tell(Tick.INSTANCE);
                  return new SentinelActor(
                      ctx, timers, settings, reader, sentinel, board, password, running, blocking);
                }));
  }

  private SentinelActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      Settings settings,
      ClusterReader reader,
      SentinelCommands sentinel,
      SentinelBoard board,
      Supplier<String> password,
      BooleanSupplier running,
      Executor blocking) {
    super(ctx);
    this.timers = timers;
    this.settings = settings;
    this.reader = reader;
    this.sentinel = sentinel;
    this.board = board;
    this.password = password;
    this.running = running;
    this.blocking = blocking;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Tick.class, m -> onTick())
        .onMessage(RetryPass.class, m -> onTick())
        .onMessage(PasswordChanged.class, m -> onPasswordChanged())
        .onMessage(ClusterChanged.class, m -> onClusterChanged())
        .onMessage(PassDone.class, this::onPassDone)
        .build();
  }

  private Behavior<Command> onPasswordChanged() {
    authPending = true;
    return onTick();
  }

  private Behavior<Command> onClusterChanged() {
    if (busy) {
      passPending = true; // the pass in flight may have read the cache before this change
      return this;
    }
    return onTick();
  }

  private Behavior<Command> onTick() {
    if (busy) {
      return this;
    }
    if (!running.getAsBoolean()) {
      // Its conf is rendered from the record at start anyway; the pass after it refreshes readiness
      // and auth.
      retrySoon();
      return this;
    }
    busy = true;
    boolean pushAuth = authPending;
    authPending = false;
    CompletionStage<PassResult> pass =
        reader
            .read()
            .handle(
                (view, readError) ->
                    readError == null ? Optional.of(view) : Optional.<ClusterView>empty())
            .thenApplyAsync(view -> follow(view, pushAuth), blocking);
    getContext().pipeToSelf(pass, (result, error) -> new PassDone(result, pushAuth, error));
    return this;
  }

  /**
   * One pass, off the actor thread. An unreadable API server leaves Sentinel as it is (it never
   * acts on its own).
   */
  private PassResult follow(Optional<ClusterView> view, boolean pushAuth) {
    Optional<Endpoint> recorded =
        view.map(ClusterView::primaryPodIp).map(ip -> new Endpoint(ip, settings.redisPort()));
    recorded.ifPresent(board::recordRecorded);
    try {
      Optional<Endpoint> monitored = sentinel.masterAddress(settings.masterName());
      board.recordAnswer(monitored.orElse(null));
      MonitorDecision decision = MonitorDecision.decide(recorded, monitored);
      if (decision == MonitorDecision.REPOINT) {
        // MONITOR comes with the current password, so a pending rotation is covered too; REMOVE
        // also forgot every
        // replica and sentinel of the old primary, so nothing stale survives a re-point.
        sentinel.remonitor(
            settings.masterName(), recorded.get(), SentinelConf.masterOptions(password.get()));
        board.recordAnswer(recorded.get());
        board.recordRepoint();
        String from = monitored.map(Endpoint::toString).orElse("nothing");
        return new PassResult(
            from + " -> " + view.get().currentPrimary() + " at " + recorded.get(),
            null,
            pushAuth,
            true);
      }
      String staleReset = decision == MonitorDecision.KEEP ? forgetStaleEntries(view.get()) : null;
      if (pushAuth && monitored.isPresent()) {
        sentinel.set(settings.masterName(), SentinelConf.authPass(password.get()));
        board.recordAuthUpdate();
        return new PassResult(null, staleReset, true, view.isPresent());
      }
      return new PassResult(null, staleReset, false, view.isPresent());
    } catch (RuntimeException e) {
      sentinel.disconnect();
      throw e;
    }
  }

  /**
   * Resets Sentinel's memory of the cluster's replicas and sentinels when it holds addresses no
   * current pod has and it cannot reach ({@link StaleEntries}); returns what was stale, or null
   * when nothing was done.
   */
  private String forgetStaleEntries(ClusterView view) {
    List<StaleEntries.Known> known = new ArrayList<>(sentinel.knownReplicas(settings.masterName()));
    known.addAll(sentinel.knownSentinels(settings.masterName()));
    List<StaleEntries.Known> stale = StaleEntries.stale(known, view.podIps());
    board.recordStaleEntries(stale.size());
    if (stale.isEmpty()) {
      return null;
    }
    String deferred =
        !StaleEntries.mayReset(board.millisSinceStaleReset())
            ? "the last reset was too recent"
            : !StaleEntries.primaryReachable(sentinel.primary(settings.masterName()))
                ? "Sentinel does not reach the primary"
                : null;
    if (deferred != null) {
      String note = stale + ": " + deferred;
      if (!note.equals(lastDeferredReset)) {
        log.info("Sentinel remembers addresses no pod has any more, reset deferred: {}", note);
        lastDeferredReset = note;
      }
      return null;
    }
    lastDeferredReset = null;
    sentinel.forgetReplicasAndSentinels(settings.masterName());
    board.recordStaleReset();
    return stale.toString();
  }

  private Behavior<Command> onPassDone(PassDone m) {
    busy = false;
    if (passPending) {
      passPending = false;
      getContext().getSelf().tell(Tick.INSTANCE);
    }
    if (m.error() != null) {
      authPending |= m.authRequested();
      String error = rootMessage(m.error());
      if (!error.equals(lastError)) {
        log.warn("Sentinel follow pass failed: {}", error);
      }
      lastError = error;
      retrySoon();
      return this;
    }
    lastError = null;
    if (!m.result().recordRead()) {
      retrySoon(); // the API record was not readable yet (watch not synced): Sentinel was checked
      // against nothing
    }
    if (m.result().staleReset() != null) {
      log.info(
          "Sentinel reset to forget addresses no pod has any more: {}", m.result().staleReset());
    }
    if (m.result().repoint() != null) {
      log.info("Sentinel re-pointed: {}", m.result().repoint());
    } else if (m.result().authPushed()) {
      log.info("Sentinel auth-pass updated to the rotated password");
    } else if (m.authRequested()) {
      authPending =
          true; // Sentinel monitored nothing yet; the next MONITOR carries the password anyway
    }
    return this;
  }

  private void retrySoon() {
    if (!timers.isTimerActive(RetryPass.INSTANCE)) {
      timers.startSingleTimer(RetryPass.INSTANCE, RetryPass.INSTANCE, RETRY_SOON);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
