package io.redisoperator.controller.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.agent.LeaderOnlyAgentClient;
import io.redisoperator.controller.support.UnscriptedAgentClient;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A deposed controller stops acting at once: nothing it has planned or queued reaches an agent. */
class LeadershipTest {
  /** Never contacted: the recording client below stands in for the HTTP one. */
  private static final AgentEndpoint AGENT = new AgentEndpoint("c-0", "10.0.0.1", null);

  /** Records the calls that reach the agents; any other call than these fails the test. */
  private static final class Recording extends UnscriptedAgentClient {
    final List<String> sent = new ArrayList<>();

    private <T> CompletionStage<T> sent(String what) {
      sent.add(what);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<InstanceStatus> status(AgentEndpoint agent, Duration timeout) {
      return sent("status");
    }

    @Override
    public CompletionStage<OperationResult> fence(AgentEndpoint agent, FenceRequest request) {
      return sent("fence");
    }
  }

  @Test
  void afterTheLeaseIsLostNoAgentOperationIsSent() {
    Leadership leadership = new Leadership();
    Recording agents = new Recording();
    LeaderOnlyAgentClient client = new LeaderOnlyAgentClient(agents, leadership);
    leadership.grant();
    client.fence(AGENT, new FenceRequest("x")).toCompletableFuture().join();
    leadership.revoke("lease lost");
    CompletionException refused =
        assertThrows(
            CompletionException.class,
            () ->
                client
                    .promote(AGENT, new PromoteRequest("r", 0L, 1000L))
                    .toCompletableFuture()
                    .join());
    assertInstanceOf(Leadership.NotLeaderException.class, refused.getCause());
    client.status(AGENT, Duration.ofSeconds(1)).toCompletableFuture().join();
    assertEquals(List.of("fence", "status"), agents.sent, "polls go on, operations stop");
    leadership.grant();
    assertFalse(
        leadership.acting(), "revocation is for good: the process exits and stands by again");
  }

  @Test
  void aPauseLongerThanTheLeaseCanOutliveDeposes() {
    AtomicLong nanos = new AtomicLong();
    List<Duration> pauses = new ArrayList<>();
    Duration max = PauseWatchdog.maxPause(Duration.ofSeconds(15), Duration.ofSeconds(2));
    assertEquals(Duration.ofSeconds(12), max);
    PauseWatchdog watchdog = new PauseWatchdog(nanos::get, max, pauses::add);
    nanos.addAndGet(PauseWatchdog.TICK.toNanos());
    watchdog.tick();
    assertTrue(pauses.isEmpty());
    nanos.addAndGet(Duration.ofSeconds(20).toNanos()); // SIGSTOP past the lease, then SIGCONT
    watchdog.tick();
    assertEquals(List.of(Duration.ofSeconds(20)), pauses);
  }
}
