package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.AgentMain;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
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
    Path root = Files.createTempDirectory("agent-fsroot");
    AgentHarness.Node layout = h.node(0, ip);
    // The sandbox kubelet's layout: every mount under <root>/<mountPath>.
    Path auth = Files.createDirectories(root.resolve(InstanceLayout.AUTH_DIR.substring(1)));
    Path agentTls =
        Files.createDirectories(root.resolve(InstanceLayout.AGENT_TLS_DIR.substring(1)));
    Files.createDirectories(root.resolve(InstanceLayout.CONFIG_DIR.substring(1)));
    Files.createDirectories(root.resolve(InstanceLayout.DATA_DIR.substring(1)));
    layout.projectSecret(
        auth,
        java.util.Map.of(
            InstanceLayout.AUTH_KEY_AGENT, AgentHarness.AGENT_PASSWORD,
            InstanceLayout.AUTH_KEY_REPLICATION, AgentHarness.REPLICATION_PASSWORD));
    layout.projectSecret(
        Files.createDirectories(root.resolve(InstanceLayout.ACL_DIR.substring(1))),
        InstanceLayout.ACL_KEY_USERS,
        Files.readString(layout.aclDir.resolve(InstanceLayout.ACL_KEY_USERS)));
    for (String key :
        List.of(
            InstanceLayout.SECRET_KEY_TLS_CERT,
            InstanceLayout.SECRET_KEY_TLS_KEY,
            InstanceLayout.SECRET_KEY_CA_CERT)) {
      Files.writeString(agentTls.resolve(key), Files.readString(layout.agentTlsDir.resolve(key)));
    }

    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Entry.class.getName(),
            "--shutdown-grace",
            "10s");
    pb.environment().put(InstanceLayout.ENV_POD_NAME, "rc-0");
    pb.environment().put(InstanceLayout.ENV_POD_NAMESPACE, AgentHarness.NAMESPACE);
    pb.environment().put(InstanceLayout.ENV_POD_IP, ip);
    pb.environment().put(InstanceLayout.ENV_CLUSTER_NAME, AgentHarness.CLUSTER);
    pb.environment().put(InstanceLayout.ENV_FS_ROOT, root.toString());
    pb.environment().put("KUBERNETES_MASTER", h.apiUrl());
    pb.redirectErrorStream(true);
    pb.redirectOutput(root.resolve("agent.log").toFile());
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
            e.getMessage() + "\nagent log:\n" + Files.readString(root.resolve("agent.log")), e);
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
      String log = Files.readString(root.resolve("agent.log"));
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
