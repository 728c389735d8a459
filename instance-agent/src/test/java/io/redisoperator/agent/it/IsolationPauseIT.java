package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.fencing.IsolationPausePolicy;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A primary that loses its replica, the controller and the API server at once stops acknowledging
 * writes well before it fences itself; one that loses only its replica keeps acknowledging them.
 */
class IsolationPauseIT {
  /**
   * What the benchmark's partition targets as the loss window: how long a cut-off primary may
   * acknowledge writes.
   */
  private static final long LOSS_WINDOW_BOUND_MILLIS = 1500;

  @RegisterExtension final AgentHarness h = new AgentHarness();

  @Test
  void aPrimaryCutOffFromEverythingStopsAcknowledgingWritesBeforeItFencesItself() throws Exception {
    AgentHarness.Node[] pair = h.linkedPair("127.0.21.1", "127.0.21.2");
    AgentHarness.Node a = pair[0];
    long replicaPid = pair[1].redisPid();
    try (RedisConnection ra = a.redis();
        AckRecorder writer = new AckRecorder(a.redis())) {
      AgentHarness.await(
          "writes acknowledged", Duration.ofSeconds(5), () -> writer.lastAckNanos() > 0);
      // A partition: the replica stays connected but falls silent, the API server goes, and the
      // controller's last
      // poll is the moment of the cut. Nobody calls a's /v1 after it.
      h.stopApi();
      a.status();
      long cutAt = System.nanoTime();
      signal("STOP", replicaPid);
      AgentHarness.await(
          "self-fenced",
          Duration.ofSeconds(10),
          () -> String.valueOf(ra.trySet("probe", "1")).contains("NOREPLICAS"));
      long ackedAfterCutMs = (writer.lastAckNanos() - cutAt) / 1_000_000;
      System.out.println("isolation-pause: last_ack_after_cut_ms=" + ackedAfterCutMs);
      assertTrue(
          ackedAfterCutMs <= LOSS_WINDOW_BOUND_MILLIS,
          "acknowledged writes "
              + ackedAfterCutMs
              + " ms after the cut, bound "
              + LOSS_WINDOW_BOUND_MILLIS);
    } finally {
      signal("CONT", replicaPid);
    }
  }

  @Test
  void aPrimaryWhoseOnlyReplicaRestartsKeepsTakingWritesWhileTheControllerPollsIt()
      throws Exception {
    AgentHarness.Node[] pair = h.linkedPair("127.0.21.3", "127.0.21.4");
    AgentHarness.Node a = pair[0];
    try (RedisConnection ra = a.redis();
        AckRecorder writer = new AckRecorder(a.redis())) {
      AgentHarness.await(
          "writes acknowledged", Duration.ofSeconds(5), () -> writer.lastAckNanos() > 0);
      h.stopApi();
      pair[1].stop();
      Duration window = Duration.ofMillis(IsolationPausePolicy.CONTACT_SILENCE_MILLIS * 3);
      // The controller's poll every 400 ms; writes must keep being acknowledged all along.
      Awaitility.await("writes acknowledged while the controller polls")
          .during(window)
          .atMost(window.plusSeconds(5))
          .pollInterval(Duration.ofMillis(400))
          .until(
              () -> {
                a.status();
                return writer.longestGapNanos() / 1_000_000
                    < IsolationPausePolicy.PAUSE_STEP_MILLIS;
              });
      long longestGapMs = writer.longestGapNanos() / 1_000_000;
      System.out.println("isolation-pause: replica_gone_polled_longest_ack_gap_ms=" + longestGapMs);
      assertTrue(
          longestGapMs < IsolationPausePolicy.PAUSE_STEP_MILLIS,
          "writes waited " + longestGapMs + " ms");
      assertNull(ra.trySet("still-writable", "1"));
    }
  }

  @Test
  void aPausedPrimaryResumesWritesWhenTheControllerReachesItAgain() throws Exception {
    AgentHarness.Node[] pair = h.linkedPair("127.0.21.5", "127.0.21.6");
    AgentHarness.Node a = pair[0];
    long replicaPid = pair[1].redisPid();
    try (RedisConnection ra = a.redis();
        AckRecorder writer = new AckRecorder(a.redis())) {
      AgentHarness.await(
          "writes acknowledged", Duration.ofSeconds(5), () -> writer.lastAckNanos() > 0);
      h.stopApi();
      a.status();
      signal("STOP", replicaPid);
      AgentHarness.await(
          "writes paused", Duration.ofSeconds(5), () -> writer.pendingNanos() > 200_000_000L);
      long pausedAt = System.nanoTime();
      a.status(); // the controller reaches it before the self-fence: contact, the pause ends
      AgentHarness.await(
          "writes resumed", Duration.ofSeconds(2), () -> writer.lastAckNanos() > pausedAt);
      a.status();
      assertNull(ra.trySet("resumed", "1"));
    } finally {
      signal("CONT", replicaPid);
    }
  }

  private static void signal(String name, long pid) throws Exception {
    new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
  }

  /** Writes one key after another on its own connection and records when each was acknowledged. */
  private static final class AckRecorder implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong lastAck = new AtomicLong();
    private final AtomicLong longestGap = new AtomicLong();
    private final AtomicLong sentAt = new AtomicLong();
    private final Thread thread;

    private final RedisConnection redis;

    AckRecorder(RedisConnection redis) {
      this.redis = redis;
      thread =
          new Thread(
              () -> {
                long i = 0;
                while (running.get()) {
                  sentAt.set(System.nanoTime());
                  if (redis.trySet("w" + (i++ % 100), "v") == null) {
                    long now = System.nanoTime();
                    long previous = lastAck.getAndSet(now);
                    if (previous > 0) {
                      longestGap.accumulateAndGet(now - previous, Math::max);
                    }
                  } else {
                    redis.reset();
                  }
                  sentAt.set(0);
                  try {
                    Thread.sleep(5);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "ack-recorder");
      thread.setDaemon(true);
      thread.start();
    }

    long lastAckNanos() {
      return lastAck.get();
    }

    long longestGapNanos() {
      return longestGap.get();
    }

    /** How long the write in flight has been waiting (0: none in flight). */
    long pendingNanos() {
      long s = sentAt.get();
      return s == 0 ? 0 : System.nanoTime() - s;
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.interrupt();
      thread.join(5000);
      redis.close();
    }
  }
}
