package io.redisoperator.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.redisoperator.protocol.agent.AgentApi;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentMainTest {

  private static AgentMain parse(String... args) {
    AgentMain main = new AgentMain();
    new CommandLine(main).parseArgs(args);
    return main;
  }

  @Test
  void defaultsComeFromTheContract() {
    AgentSettings s =
        parse(
                "--pod-name",
                "rc-0",
                "--pod-namespace",
                "ns",
                "--pod-ip",
                "10.0.0.1",
                "--cluster-name",
                "rc",
                "--fs-root",
                "")
            .settings();
    assertEquals("redis-server", s.redisServer());
    assertEquals(AgentApi.PORT, s.ports().http());
    assertEquals(AgentApi.PROBE_PORT, s.ports().probe());
    assertEquals(Path.of("/etc/redis-operator/agent-tls"), s.dirs().agentTls());
    assertEquals(AgentApi.REDIS_PORT, s.ports().redis());
    assertEquals(Path.of("/data"), s.dirs().data());
    assertEquals(Path.of("/etc/redis-operator/auth"), s.dirs().auth());
    assertEquals(Duration.ofSeconds(25), s.timing().shutdownGrace());
  }

  @Test
  void layoutPathsResolveUnderTheFsRoot() {
    AgentSettings s =
        parse(
                "--pod-name",
                "rc-0",
                "--pod-namespace",
                "ns",
                "--pod-ip",
                "127.0.100.3",
                "--cluster-name",
                "rc",
                "--fs-root",
                "/tmp/pods/rc-0",
                "--shutdown-grace",
                "500ms")
            .settings();
    assertEquals(Path.of("/tmp/pods/rc-0/data"), s.dirs().data());
    assertEquals(Path.of("/tmp/pods/rc-0/etc/redis-operator/config"), s.dirs().config());
    assertEquals(Duration.ofMillis(500), s.timing().shutdownGrace());
  }

  @Test
  void missingIdentityIsAUsageError() {
    assertThrows(
        CommandLine.ParameterException.class,
        () ->
            parse(
                    "--pod-name",
                    "",
                    "--pod-namespace",
                    "ns",
                    "--pod-ip",
                    "1.2.3.4",
                    "--cluster-name",
                    "rc")
                .settings());
  }

  @Test
  void helpExitsZeroAndUnknownOptionsExitTwo() {
    assertEquals(0, AgentMain.run(new String[] {"--help"}));
    assertEquals(2, AgentMain.run(new String[] {"--no-such-option"}));
    assertEquals(2, AgentMain.run(new String[] {"--shutdown-grace", "soon"}));
    assertEquals(
        2,
        AgentMain.run(new String[] {"--pod-name", "", "--pod-ip", ""}),
        "no identity: usage error");
  }

  @Test
  void theSentinelRoleIsTheContractsArgumentWithItsOwnDefaults() {
    AgentMain main = parse(io.redisoperator.protocol.agent.InstanceLayout.SENTINEL_ROLE_ARG);
    assertEquals(AgentMain.Role.sentinel, main.role);
    assertEquals("redis-sentinel", main.redisSentinel);
    assertEquals(AgentApi.SENTINEL_PORT, main.sentinelPort);
    assertEquals(Duration.ofMillis(500), main.followInterval);
    assertEquals(AgentMain.Role.data, parse().role);
    assertEquals(2, AgentMain.run(new String[] {"--role=arbiter"}));
  }
}
