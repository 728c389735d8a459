package io.redisoperator.agent.fencing;

import io.redisoperator.agent.instance.AgentView;
import io.redisoperator.agent.instance.StatusBoard;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.acl.OperatorUsers;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures replica contact precisely and pauses writes on a primary that lost it along with the
 * controller and the API server ({@link IsolationPausePolicy} decides). A heartbeat ({@code
 * PUBLISH} + {@code WAIT 1}) every {@link #INTERVAL_MILLIS} over a connection of its own (a blocked
 * WAIT must not delay INFO or operations) dates a replica's last contact to the millisecond; Redis'
 * own ACK ages are whole seconds.
 *
 * <p>The pause is {@code CLIENT PAUSE <step> WRITE}, renewed while it must hold and never lifted
 * early: it ends by itself one step after the last renewal, so it can neither shorten a
 * switchover's pause (Redis keeps the later end) nor outlive a dead agent.
 */
public final class IsolationPause implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IsolationPause.class);

  /** How often the heartbeat is sent and the pause decided. */
  public static final long INTERVAL_MILLIS = 100;

  /** How long one heartbeat waits for a replica's ACK. */
  static final long HEARTBEAT_WAIT_MILLIS = 300;

  private final RedisCommands heartbeat;
  private final RedisCommands redis;
  private final StatusBoard board;
  private final AtomicBoolean heartbeatInFlight = new AtomicBoolean();
  private final AtomicBoolean pauseInFlight = new AtomicBoolean();
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "isolation-pause");
            t.setDaemon(true);
            return t;
          });

  /** Only the scheduler thread touches it. */
  private long pausedSinceMillis = -1;

  /**
   * When the checks first saw this instance as a writable primary, -1 while it is not one; only the
   * scheduler thread touches it.
   */
  private long writablePrimarySinceMillis = -1;

  /**
   * @param heartbeat a connection used for nothing else
   * @param redis the agent's usual connection, for the pause itself
   */
  public IsolationPause(RedisCommands heartbeat, RedisCommands redis, StatusBoard board) {
    this.heartbeat = heartbeat;
    this.redis = redis;
    this.board = board;
    scheduler.scheduleWithFixedDelay(
        this::tick, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      long now = board.nowMillis();
      // The snapshot first: if INFO refreshes in between, the info is newer than the date used for
      // it, so the replica
      // ACK it shows is dated earlier than it happened, never later.
      StatusBoard.Snapshot snapshot = board.snapshot();
      RedisInfo info = board.liveInfo();
      boolean primary = info != null && info.isPrimary();
      AgentView view = board.view();
      boolean writablePrimary =
          primary && !view.fenced() && !view.hold() && Boolean.TRUE.equals(board.appliedWritable());
      // Only a writable primary needs the heartbeat. A fenced one must not move its replication
      // offset: the controller
      // compares it with the candidates' to keep the writes it still has.
      if (writablePrimary && !info.replicas().isEmpty()) {
        sendHeartbeat(now);
      }
      if (!writablePrimary) {
        writablePrimarySinceMillis = -1;
      } else if (writablePrimarySinceMillis < 0) {
        writablePrimarySinceMillis = now;
      }
      long replicaAck =
          Math.max(
              board.lastReplicaAckMillis(),
              primary
                  ? SelfFencingPolicy.earliestReplicaContact(info, snapshot.issuedAtMillis())
                  : 0);
      long otherContact =
          Math.max(board.lastControllerContactMillis(), board.lastApiContactMillis());
      boolean pause =
          IsolationPausePolicy.mustPause(
              new IsolationPausePolicy.Facts(
                  writablePrimary,
                  now,
                  replicaAck,
                  otherContact,
                  pausedSinceMillis,
                  writablePrimarySinceMillis));
      if (pause) {
        if (pausedSinceMillis < 0) {
          pausedSinceMillis = now;
          log.warn(
              "no replica for {} ms and no controller or API server for {} ms: pausing writes",
              now - replicaAck,
              now - otherContact);
        }
        renewPause();
      } else if (pausedSinceMillis >= 0) {
        log.info(
            "contact again, or no longer a writable primary: writes resume within {} ms",
            IsolationPausePolicy.PAUSE_STEP_MILLIS);
        pausedSinceMillis = -1;
      }
    } catch (RuntimeException e) {
      log.warn("isolation check failed: {}", e.toString());
    }
  }

  private void sendHeartbeat(long sentAt) {
    if (!heartbeatInFlight.compareAndSet(false, true)) {
      return;
    }
    heartbeat
        .replicasAcknowledging(OperatorUsers.HEARTBEAT_CHANNEL, HEARTBEAT_WAIT_MILLIS)
        .whenComplete(
            (acks, error) -> {
              if (error == null && acks != null && acks >= 1) {
                board.recordReplicaAck(sentAt);
              }
              heartbeatInFlight.set(false);
            });
  }

  private void renewPause() {
    if (!pauseInFlight.compareAndSet(false, true)) {
      return;
    }
    redis
        .pauseWrites(IsolationPausePolicy.PAUSE_STEP_MILLIS)
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                log.warn("could not pause writes: {}", error.toString());
              }
              pauseInFlight.set(false);
            });
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
