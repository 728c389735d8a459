package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.AgentApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A graceful stop (pod deletion, eviction) must not close the agent's port while Redis still
 * listens: the controller takes a refused agent port on a terminating pod as proof that its
 * processes are gone and promotes another instance.
 */
class AgentShutdownIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  private static boolean accepts(String ip, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(ip, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void theAgentPortRefusesOnlyOnceRedisIsDown() throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node a = h.node(0, "127.0.10.40").start();
    a.awaitUp();
    h.pod(a.podName, a.ip);
    assertTrue(accepts(a.ip, AgentApi.REDIS_PORT));

    AtomicBoolean stopped = new AtomicBoolean();
    CompletableFuture<Boolean> redisListeningWhenAgentRefused =
        CompletableFuture.supplyAsync(
            () -> {
              while (!stopped.get()) {
                if (!accepts(a.ip, AgentApi.PORT)) {
                  return accepts(a.ip, AgentApi.REDIS_PORT);
                }
              }
              return !accepts(a.ip, AgentApi.PORT) && accepts(a.ip, AgentApi.REDIS_PORT);
            });
    a.stop();
    stopped.set(true);
    assertFalse(
        redisListeningWhenAgentRefused.get(10, TimeUnit.SECONDS),
        "the agent port refused while redis-server still listened: a controller would have promoted another");
    assertEquals(false, accepts(a.ip, AgentApi.REDIS_PORT));
  }
}
