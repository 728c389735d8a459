package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.sandbox.kubelet.Kubelet;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.process.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kubelet runs pods as real processes: addresses, readiness, restarts, volumes, projected
 * updates, deletion.
 */
class KubeletIT extends SandboxIT {
  @Test
  void runsAPodAsAProcessOnAFreshAddressAndReportsReadiness() {
    Pod pod = client.resource(TestPods.webPod("web-ready", "ready")).create();
    Pod ready = TestPods.await(client, "web-ready", TestPods::isReady);
    String ip = ready.getStatus().getPodIP();
    assertTrue(ip.startsWith("127.0."), ip);
    assertEquals("Running", ready.getStatus().getPhase());
    assertEquals(0, ready.getStatus().getContainerStatuses().get(0).getRestartCount());
    assertNotEquals(pod.getMetadata().getUid(), null);
  }

  @Test
  void restartsAContainerThatDiesOnTheSameAddressAndCountsIt() {
    client.resource(TestPods.webPod("web-crash", "crash")).create();
    Pod ready = TestPods.await(client, "web-crash", TestPods::isReady);
    Kubelet.PodProcesses processes = sandbox.kubelet().pod("default", "web-crash").orElseThrow();
    ProcessGroup.signalGroup(processes.containers().get("web").pgid(), Signal.KILL);
    Pod restarted =
        TestPods.await(
            client,
            "web-crash",
            p ->
                TestPods.isReady(p)
                    && p.getStatus().getContainerStatuses().get(0).getRestartCount() == 1);
    assertEquals(ready.getStatus().getPodIP(), restarted.getStatus().getPodIP());
    assertNotNull(
        restarted.getStatus().getContainerStatuses().get(0).getLastState().getTerminated());
  }

  @Test
  void projectsSecretsAndSwapsThemAtomicallyAndKeepsPvcDataAcrossIncarnations() throws Exception {
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("creds")
                .withNamespace("default")
                .endMetadata()
                .addToStringData("password", "one")
                .build())
        .create();
    client
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName("data-vol")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    Pod pod =
        new PodBuilder(TestPods.webPod("web-vol", "vol"))
            .editSpec()
            .addNewVolume()
            .withName("creds")
            .withNewSecret()
            .withSecretName("creds")
            .endSecret()
            .endVolume()
            .addNewVolume()
            .withName("data")
            .withNewPersistentVolumeClaim()
            .withClaimName("data-vol")
            .endPersistentVolumeClaim()
            .endVolume()
            .addNewVolume()
            .withName("scratch")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .editFirstContainer()
            .addNewVolumeMount()
            .withName("creds")
            .withMountPath("/etc/creds")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/data")
            .endVolumeMount()
            .addNewVolumeMount()
            .withName("scratch")
            .withMountPath("/scratch")
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    TestPods.await(client, "web-vol", TestPods::isReady);
    Path root = sandbox.kubelet().pod("default", "web-vol").orElseThrow().root();
    Path password = root.resolve("etc/creds/password");
    assertEquals("one", Files.readString(password));
    Path dataLinkTarget = Files.readSymbolicLink(root.resolve("etc/creds/..data"));
    Files.writeString(root.resolve("data/keep.txt"), "kept");
    Files.writeString(root.resolve("scratch/lost.txt"), "lost");
    Path scratchDir = root.resolve("scratch").toRealPath();

    client
        .secrets()
        .inNamespace("default")
        .withName("creds")
        .edit(s -> new SecretBuilder(s).withData(null).addToStringData("password", "two").build());
    TestPods.eventually(
        Duration.ofSeconds(10),
        () -> read(password).equals("two"),
        "the projected secret to change");
    assertNotEquals(dataLinkTarget, Files.readSymbolicLink(root.resolve("etc/creds/..data")));
    assertTrue(Files.isSymbolicLink(password), "keys are symlinks into ..data, as in Kubernetes");

    client.pods().inNamespace("default").withName("web-vol").delete();
    TestPods.eventually(
        Duration.ofSeconds(20),
        () -> client.pods().inNamespace("default").withName("web-vol").get() == null,
        "graceful deletion");
    assertFalse(Files.exists(scratchDir), "emptyDir goes with the pod");
    client.resource(pod).create();
    TestPods.await(client, "web-vol", TestPods::isReady);
    Path newRoot = sandbox.kubelet().pod("default", "web-vol").orElseThrow().root();
    assertEquals(
        "kept", Files.readString(newRoot.resolve("data/keep.txt")), "the PVC outlives the pod");
    assertFalse(Files.exists(newRoot.resolve("scratch/lost.txt")));

    Path volume = newRoot.resolve("data").toRealPath();
    client.persistentVolumeClaims().inNamespace("default").withName("data-vol").delete();
    TestPods.holds(
        Duration.ofMillis(1500),
        () -> Files.exists(volume.resolve("keep.txt")),
        "a claim's volume stays while a pod uses it");
    client.pods().inNamespace("default").withName("web-vol").withGracePeriod(0).delete();
    TestPods.eventually(
        Duration.ofSeconds(10), () -> !Files.exists(volume), "the volume goes with its pod");
  }

  @Test
  void gracefulDeletionWaitsForTheProcessAndForceDeletionKillsAtOnce() {
    Pod stubborn =
        new PodBuilder()
            .withNewMetadata()
            .withName("stubborn")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withTerminationGracePeriodSeconds(60L)
            .addNewContainer()
            .withName("main")
            .withImage("sh")
            .withCommand("/bin/sh", "-c", "trap '' TERM; while true; do sleep 0.2; done")
            .endContainer()
            .endSpec()
            .build();
    client.resource(stubborn).create();
    TestPods.await(client, "stubborn", p -> "Running".equals(p.getStatus().getPhase()));
    long pgid =
        sandbox.kubelet().pod("default", "stubborn").orElseThrow().containers().get("main").pgid();

    client.pods().inNamespace("default").withName("stubborn").delete();
    Pod terminating =
        TestPods.await(client, "stubborn", p -> p.getMetadata().getDeletionTimestamp() != null);
    assertEquals(60L, terminating.getMetadata().getDeletionGracePeriodSeconds());
    TestPods.holds(
        Duration.ofMillis(1500),
        () ->
            !ProcessGroup.membersOf(pgid).isEmpty()
                && client.pods().inNamespace("default").withName("stubborn").get() != null,
        "SIGTERM is ignored, so the pod stays within its grace");

    long t0 = System.nanoTime();
    sandbox.faults().forceDeletePod("default", "stubborn");
    assertEquals(null, client.pods().inNamespace("default").withName("stubborn").get());
    TestPods.eventually(
        Duration.ofSeconds(5), () -> ProcessGroup.membersOf(pgid).isEmpty(), "the kill");
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 5000);
  }

  @Test
  void downwardApiEnvAndSandboxEnvironmentReachTheProcess() throws Exception {
    Pod env =
        new PodBuilder()
            .withNewMetadata()
            .withName("env")
            .withNamespace("default")
            .addToLabels("x", "y")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .withImage("sh")
            .withCommand("/bin/sh", "-c", "env > $REDIS_OPERATOR_FS_ROOT/env.txt; exec sleep 600")
            .addNewEnv()
            .withName("MY_IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.podIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("MY_NS")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.namespace")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .addNewEnv()
            .withName("CLUSTER_NAME")
            .withValue("c1")
            .endEnv()
            .endContainer()
            .endSpec()
            .build();
    client.resource(env).create();
    Pod running = TestPods.await(client, "env", p -> "Running".equals(p.getStatus().getPhase()));
    Path root = sandbox.kubelet().pod("default", "env").orElseThrow().root();
    TestPods.eventually(
        Duration.ofSeconds(10), () -> Files.exists(root.resolve("env.txt")), "env dump");
    TestPods.eventually(
        Duration.ofSeconds(10),
        () -> read(root.resolve("env.txt")).contains("CLUSTER_NAME"),
        "env");
    Map<String, String> vars = new java.util.HashMap<>();
    for (String line : Files.readAllLines(root.resolve("env.txt"))) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        vars.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    assertEquals(running.getStatus().getPodIP(), vars.get("MY_IP"));
    assertEquals("default", vars.get("MY_NS"));
    assertEquals("c1", vars.get("CLUSTER_NAME"));
    // Each pod reaches the API server by the in-cluster name, resolved to its own endpoint on its
    // address (a
    // partition can cut it there), with its own token and the cluster CA.
    assertEquals(
        "https://kubernetes.default.svc:" + Kubelet.POD_API_SERVER_PORT,
        vars.get("KUBERNETES_MASTER"));
    assertTrue(
        read(Path.of(vars.get("JAVA_TOOL_OPTIONS").replace("-Djdk.net.hosts.file=", "")))
            .startsWith(running.getStatus().getPodIP() + " kubernetes.default.svc\n"));
    assertEquals(
        root.resolve("var/run/secrets/kubernetes.io/serviceaccount/token").toString(),
        vars.get("KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN"));
    assertEquals(root.toString(), vars.get("REDIS_OPERATOR_FS_ROOT"));
    assertTrue(Files.exists(root.resolve("var/run/secrets/kubernetes.io/serviceaccount/token")));
  }

  @Test
  void aFailingLivenessProbeRestartsTheContainer() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("unlive")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withTerminationGracePeriodSeconds(1L)
            .addNewContainer()
            .withName("main")
            .withImage("sh")
            .withCommand("sleep", "600")
            .withNewLivenessProbe()
            .withNewTcpSocket()
            .withNewPort(1)
            .endTcpSocket()
            .withPeriodSeconds(1)
            .withFailureThreshold(2)
            .endLivenessProbe()
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    Pod restarted =
        TestPods.await(
            client,
            "unlive",
            p ->
                p.getStatus().getContainerStatuses() != null
                    && !p.getStatus().getContainerStatuses().isEmpty()
                    && p.getStatus().getContainerStatuses().get(0).getRestartCount() >= 1);
    assertNotNull(
        restarted.getStatus().getContainerStatuses().get(0).getLastState().getTerminated());
  }

  @Test
  void theFaultInjectorKillsOnlyRedisServerInsideAPod() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("with-redis")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("main")
            .withImage("sh")
            .withCommand(
                "/bin/sh",
                "-c",
                "redis-server --bind $(POD_IP) --save '' --appendonly no & exec sleep 600")
            .addNewEnv()
            .withName("POD_IP")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("status.podIP")
            .endFieldRef()
            .endValueFrom()
            .endEnv()
            .endContainer()
            .endSpec()
            .build();
    client.resource(pod).create();
    TestPods.await(client, "with-redis", p -> "Running".equals(p.getStatus().getPhase()));
    ProcessGroup group =
        sandbox.kubelet().pod("default", "with-redis").orElseThrow().containers().get("main");
    // The forked shell becomes redis-server only at its exec: wait for the name, not just the
    // second process.
    TestPods.eventually(
        Duration.ofSeconds(10),
        () ->
            group.members().size() == 2
                && group.members().stream()
                    .anyMatch(
                        pid ->
                            "redis-server".equals(read(Path.of("/proc", pid + "", "comm")).trim())),
        "sleep and redis-server");
    sandbox.faults().killRedisServer("default", "with-redis");
    TestPods.eventually(
        Duration.ofSeconds(5), () -> group.members().size() == 1, "redis-server gone");
    assertTrue(group.isAlive(), "the container's main process survives");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
