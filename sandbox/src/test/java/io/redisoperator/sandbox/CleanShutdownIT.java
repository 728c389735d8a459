package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.process.Signal;
import io.redisoperator.sandbox.state.Reaper;
import io.redisoperator.sandbox.state.StateDir;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Nothing is left behind: not on close, not when the JVM is SIGKILLed (watchdog), not from an older
 * dead sandbox.
 */
class CleanShutdownIT {
  private static final Path STATE_ROOT =
      Path.of("target", "sandbox-state-shutdown").toAbsolutePath();

  private static final Path KUBECONFIG = Path.of("target", "orphan.kubeconfig").toAbsolutePath();

  @Test
  void closeStopsEveryProcessAndFreesEveryAddressAndDirectory() throws Exception {
    Sandbox sandbox = Sandbox.start(SandboxConfig.defaults().withStateRoot(STATE_ROOT));
    KubernetesClient client = sandbox.client();
    client.resource(TestPods.webPod("web", "web")).create();
    Pod pod = TestPods.await(client, "web", TestPods::isReady);
    long pgid =
        sandbox.kubelet().pod("default", "web").orElseThrow().containers().get("web").pgid();
    Path instance = sandbox.state().dir();
    sandbox.close();

    assertTrue(ProcessGroup.membersOf(pgid).isEmpty(), "pod processes are gone");
    assertFalse(Files.exists(instance), "state directory removed");
    assertTrue(claimsOf(instance).isEmpty(), "address claims released");
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(pod.getStatus().getPodIP(), 8000));
    }
  }

  @Test
  void theWatchdogCleansUpWhenTheSandboxJvmIsKilled() throws Exception {
    Path manifest = Files.createTempFile("pod", ".yaml");
    Files.writeString(
        manifest,
        Serialization.asYaml(new PodBuilder(TestPods.webPod("orphan", "orphan")).build()));
    Process jvm =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    SandboxMain.class.getName(),
                    "--no-controller",
                    "--state-root",
                    STATE_ROOT.toString(),
                    "-f",
                    manifest.toString(),
                    "--logs-dir",
                    Path.of("target", "sandbox-logs-orphan").toString(),
                    "--kubeconfig",
                    KUBECONFIG.toString()))
            .redirectErrorStream(true)
            .start();
    String url = null;
    BufferedReader out =
        new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.startsWith("sandbox: API server at ")) {
        url = line.substring("sandbox: API server at ".length()).trim();
        break;
      }
    }
    assertTrue(url != null, "the child sandbox started");
    Thread drain = new Thread(() -> out.lines().forEach(l -> {}));
    drain.setDaemon(true);
    drain.start();
    Config config = Config.fromKubeconfig(Files.readString(KUBECONFIG));
    config.setClientKeyAlgo("EC");
    long pgid;
    Path instance;
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
      client
          .pods()
          .inNamespace("default")
          .withName("orphan")
          .waitUntilCondition(
              p -> p != null && p.getStatus() != null && TestPods.isReady(p), 60, TimeUnit.SECONDS);
      instance = instanceOf(jvm.pid());
      pgid =
          Long.parseLong(
              Files.list(instance.resolve("groups"))
                  .findFirst()
                  .orElseThrow()
                  .getFileName()
                  .toString());
    }
    assertFalse(ProcessGroup.membersOf(pgid).isEmpty());

    ProcessGroup.signalProcess(jvm.pid(), Signal.KILL);
    jvm.waitFor(10, TimeUnit.SECONDS);
    TestPods.eventually(
        Duration.ofSeconds(10),
        () -> ProcessGroup.membersOf(pgid).isEmpty(),
        "pod processes killed");
    TestPods.eventually(
        Duration.ofSeconds(10), () -> !Files.exists(instance), "state directory removed");
    assertTrue(claimsOf(instance).isEmpty());
  }

  @Test
  void theReaperRemovesWhatADeadSandboxLeftBehind() throws Exception {
    StateDir stale = StateDir.create(STATE_ROOT);
    ProcessGroup leftover =
        ProcessGroup.start(
            List.of("sleep", "600"),
            java.util.Map.of("PATH", "/usr/bin:/bin"),
            stale.dir(),
            stale.logsDir().resolve("sleep.log"));
    stale.recordGroup(leftover.pgid());
    assertTrue(stale.claimAddress("127.0.199.253"));
    // Pretend the owner died: a pid that cannot exist.
    Files.writeString(stale.dir().resolve("owner"), "999999999 1");

    List<String> reaped = Reaper.reapStale(STATE_ROOT);

    assertTrue(reaped.contains(stale.id()));
    assertTrue(leftover.awaitExit(Duration.ofSeconds(5)), "the stray process group is killed");
    assertFalse(Files.exists(stale.dir()));
    assertTrue(claimsOf(stale.dir()).isEmpty());
  }

  @Test
  void theReaperLeavesLiveSandboxesAlone() {
    StateDir live = StateDir.create(STATE_ROOT);
    try {
      assertFalse(Reaper.reapStale(STATE_ROOT).contains(live.id()));
      assertTrue(Files.exists(live.dir()));
    } finally {
      Reaper.reap(live);
    }
    assertEquals(false, Files.exists(live.dir()));
  }

  private static Path instanceOf(long pid) throws IOException {
    try (Stream<Path> instances = Files.list(STATE_ROOT.resolve("instances"))) {
      return instances
          .filter(p -> p.getFileName().toString().startsWith(pid + "-"))
          .findFirst()
          .orElseThrow();
    }
  }

  private static List<Path> claimsOf(Path instance) throws IOException {
    Path dir = StateDir.addressesRoot();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> claims = Files.list(dir)) {
      return claims
          .filter(
              p -> {
                try {
                  return Files.readString(p).trim().equals(instance.toString());
                } catch (IOException e) {
                  return false;
                }
              })
          .toList();
    }
  }
}
