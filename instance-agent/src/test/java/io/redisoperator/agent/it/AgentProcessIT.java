package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.AgentMain;
import io.redisoperator.protocol.agent.AgentApi;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent as the pod runs it: its own JVM, identity from the Downward API environment, paths
 * under REDIS_OPERATOR_FS_ROOT, SIGTERM to stop. Checks the password never reaches argv or the
 * environment.
 */
class AgentProcessIT {
  @RegisterExtension final AgentHarness h = new AgentHarness();

  /** What the launcher does for {@code instance}. */
  public static final class Entry {
    public static void main(String[] args) {
      System.exit(AgentMain.run(args));
    }
  }

  @Test
  void runsFromTheEnvironmentKeepsThePasswordOutOfArgvAndStopsRedisOnSigterm() throws Exception {
    h.clusterStatus("rc-0", List.of());
    String ip = "127.0.12.1";
    AgentHarness.Node layout = h.node(0, ip);
    PodFilesystem pod = PodFilesystem.lay(layout, Files.createTempDirectory("agent-fsroot"));
    Path root = pod.root;
    ProcessBuilder pb =
        pod.agentProcess(h, layout, Entry.class, List.of(), List.of("--shutdown-grace", "10s"));
    Process agent = pb.start();
    long[] redisPidSeen = {-1};
    try {
      try {
        // A cold JVM (Pekko, fabric8, Lettuce) on a loaded 2-core machine: allow for it.
        // Serving once Redis is up and its first ACL pass lets the test's user in (WRONGPASS
        // before it).
        AgentHarness.await(
            "agent serving",
            Duration.ofSeconds(90),
            () -> layout.status().redisUp() && layout.redisPid() > 0);
      } catch (AssertionError e) {
        throw new AssertionError(
            e.getMessage() + "\nagent log:\n" + Files.readString(pod.log()), e);
      }
      if (layout.status().fenced()) {
        // A cold JVM may miss its first API read and start held; the status polls above told the
        // controller so,
        // and the controller answers a held recorded primary by unfencing it, as here.
        assertEquals(200, layout.call("DELETE", AgentApi.PATH_FENCE, null).status());
      }
      long redisPid = layout.redisPid();
      redisPidSeen[0] = redisPid;
      ProcessHandle redis = ProcessHandle.of(redisPid).orElseThrow();
      assertEquals(
          agent.pid(),
          redis.parent().map(ProcessHandle::pid).orElse(-1L),
          "redis-server is the agent's child");

      String cmdline =
          Files.readString(
              Path.of("/proc", Long.toString(redisPid), "cmdline"), StandardCharsets.UTF_8);
      String environ =
          Files.readString(
              Path.of("/proc", Long.toString(redisPid), "environ"), StandardCharsets.ISO_8859_1);
      assertFalse(cmdline.contains("s3cret"), cmdline);
      assertFalse(environ.contains("s3cret"));
      assertEquals(
          "rw-------",
          java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(root.resolve("data/redis.conf"))));

      try (RedisConnection c = layout.redis()) {
        assertNull(c.trySet("durable", "1"));
      }

      agent.destroy(); // SIGTERM, as the kubelet sends
      assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "the agent exits after SIGTERM");
      Optional<ProcessHandle> left = ProcessHandle.of(redisPid);
      assertTrue(left.isEmpty() || !left.get().isAlive(), "redis-server stopped with the agent");
      String log = Files.readString(pod.log());
      assertFalse(log.contains("s3cret"), "the password never appears in the logs");
      assertTrue(Files.exists(root.resolve("data/appendonlydir")), "data lives under the fs root");
    } finally {
      // Never leave a redis-server behind, even when an assertion failed half-way.
      agent.destroy();
      if (!agent.waitFor(20, TimeUnit.SECONDS)) {
        agent.destroyForcibly();
      }
      ProcessHandle.of(redisPidSeen[0]).ifPresent(ProcessHandle::destroyForcibly);
      try (java.util.stream.Stream<Path> files = Files.walk(root)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
