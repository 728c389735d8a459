package io.redisoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.sandbox.SandboxConfig;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Day-2 operations from the command line against the sandbox, with the operator installed from its
 * chart: the {@code kubectl redis} plugin end to end (plain kubectl finds {@code
 * scripts/kubectl-redis} on the PATH), then every command of every runbook in docs/runbooks/ as
 * written, on a cluster named {@code cache} as the runbooks name it.
 *
 * <p>What the sandbox cannot run is listed, never silently dropped: commands that need the
 * kubelet's own API ({@code kubectl logs}, and the port-forward under {@code kubectl redis cli}),
 * which the sandbox kubelet does not serve, and the download of a backup from its object store (the
 * runbooks' store is an example address). Watches ({@code -w}) run for a few seconds. {@code
 * <node>} is the node of a replica.
 */
@Tag("chaos")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.extension.ExtendWith(EnvironmentAvailable.class)
class CommandLineOperationsIT {
  private static final String NAMESPACE = "default";
  private static final String CLUSTER = "cache";
  private static final Duration SETTLE = Duration.ofMinutes(4);

  /** The runbooks in the order they run: deleting the cluster last. */
  private static final List<String> RUNBOOKS =
      List.of(
          "RedisClusterFailoverHappened.md",
          "RedisClusterNoPrimary.md",
          "RedisInstanceFencedTooLong.md",
          "RedisReplicaLagHigh.md",
          "RedisReplicationBroken.md",
          "RedisOperatorDown.md",
          "RedisOperatorReconcileErrors.md",
          "stuck-reconciliation.md",
          "RedisBackupFailed.md",
          "RedisBackupMissed.md",
          "backups.md",
          "manual-failover-and-switchover.md",
          "node-drain.md",
          "hibernation.md",
          "secret-rotation.md",
          "rolling-updates-and-scaling.md",
          "sentinel-mode.md",
          "deleting-a-cluster.md");

  /** Needs the kubelet API (logs, port-forward), which the sandbox kubelet does not serve. */
  private static final List<String> NEEDS_KUBELET_API = List.of("kubectl logs ", " logs deploy/");

  /**
   * Needs an S3 client and a Completed backup in a reachable object store (the runbooks' store is
   * an example).
   */
  private static final List<String> NEEDS_OBJECT_STORE = List.of("aws s3 ", "backup.bin");

  private SandboxEnvironment env;
  private RedisClusterFixture cluster;
  private Path repo;
  private Path kubeconfig;
  private final List<String> notRunnable = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(
        EnvironmentKind.selected() == EnvironmentKind.SANDBOX, "runs on the sandbox only");
    env = SandboxEnvironment.startFromChart("command-line");
    repo = SandboxConfig.findOperatorJar().getParent().getParent();
    kubeconfig = env.writeKubeconfig(Path.of("target", "command-line.kubeconfig"));
    cluster = new RedisClusterFixture(env, NAMESPACE, CLUSTER);
    cluster.create(3);
  }

  @AfterAll
  void stop() {
    if (!notRunnable.isEmpty()) {
      System.out.println("runbooks: not runnable on the sandbox: " + notRunnable);
    }
    if (cluster != null) {
      cluster.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  void thePluginStatusSwitchoverFenceRestartBackupAndReport() throws Exception {
    Result status = run("kubectl redis status cache");
    assertEquals(0, status.code, status.out);
    String primary = cluster.get().getStatus().getCurrentPrimary();
    assertTrue(status.out.contains(primary) && status.out.contains("cache-1"), status.out);

    String target =
        cluster.pods().keySet().stream()
            .filter(p -> !p.equals(primary))
            .sorted()
            .findFirst()
            .orElseThrow();
    assertEquals(0, run("kubectl redis switchover cache --to " + target).code);
    cluster.await(
        c -> target.equals(c.getStatus().getCurrentPrimary()) && ClusterWait.isHealthy(c), SETTLE);

    String replica =
        cluster.pods().keySet().stream()
            .filter(p -> !p.equals(target))
            .sorted()
            .findFirst()
            .orElseThrow();
    assertEquals(0, run("kubectl redis fence cache " + replica).code);
    cluster.await(c -> fenced(c, replica), SETTLE);
    assertEquals(0, run("kubectl redis unfence cache " + replica).code);
    cluster.await(c -> !fenced(c, replica) && ClusterWait.isHealthy(c), SETTLE);

    Map<String, String> uids = uids();
    assertEquals(0, run("kubectl redis restart cache").code);
    assertTrue(
        ScenarioIT.pollUntil(
            () -> {
              Map<String, String> now = uids();
              return now.size() == 3
                  && now.entrySet().stream()
                      .noneMatch(e -> e.getValue().equals(uids.get(e.getKey())))
                  && ClusterWait.isHealthy(cluster.get());
            },
            SETTLE),
        "every pod recreated by the rolling restart");

    assertEquals(0, run("kubectl redis hibernate cache on").code);
    assertTrue(ScenarioIT.pollUntil(() -> cluster.pods().isEmpty(), SETTLE), "hibernated");
    assertEquals(0, run("kubectl redis hibernate cache off").code);
    cluster.awaitHealthy(SETTLE);

    Result backup = run("kubectl redis backup cache --bucket backups --path adhoc");
    assertEquals(0, backup.code, backup.out);
    String backupName = backup.out.replaceAll("(?s).*redisbackup/(\\S+) created.*", "$1");
    RedisBackup created =
        env.client().resources(RedisBackup.class).inNamespace(NAMESPACE).withName(backupName).get();
    assertEquals(CLUSTER, created.getSpec().getCluster().getName());
    assertEquals("backups", created.getSpec().getDestination().getBucket());

    Path zip = Path.of("target", "redis-report-cache.zip").toAbsolutePath();
    Files.deleteIfExists(zip);
    Result report = run("kubectl redis report cache -o " + zip);
    assertEquals(0, report.code, report.out);
    String password = cluster.password();
    List<String> entries = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.add(e.getName());
        String content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(
            !content.contains(password)
                && !content.contains(
                    java.util.Base64.getEncoder()
                        .encodeToString(password.getBytes(StandardCharsets.UTF_8))),
            e.getName() + " holds the password");
      }
    }
    assertTrue(
        entries.stream().anyMatch(n -> n.contains("rediscluster")),
        "the cluster is in the report: " + entries);
    notRunnable.add("kubectl redis cli (port-forward)");
  }

  @Test
  @Order(2)
  void everyRunbookCommandRuns() throws Exception {
    prepareWhatTheRunbooksName();
    List<String> failed = new ArrayList<>();
    int ran = 0;
    for (String runbook : RUNBOOKS) {
      Path file = repo.resolve("docs/runbooks/" + runbook);
      for (String command : RunbookCommands.of(Files.readString(file))) {
        if (NEEDS_KUBELET_API.stream().anyMatch(command::contains)) {
          notRunnable.add(runbook + " (no kubelet API): " + command);
          continue;
        }
        if (NEEDS_OBJECT_STORE.stream().anyMatch(command::contains)) {
          notRunnable.add(runbook + " (no object store): " + command);
          continue;
        }
        String resolved = command.replace("<node>", replicaNode());
        boolean watch = resolved.matches("(?s).*\\s-w(\\s.*|$)");
        Result result = run(watch ? "timeout 10 " + resolved : resolved);
        ran++;
        boolean ok = result.code == 0 || (watch && result.code == 124);
        if (!ok) {
          failed.add(runbook + ": " + resolved + " -> " + result.code + ": " + result.out.strip());
        }
        if (resolved.contains("patch rdc") || resolved.contains("drain ")) {
          settle(runbook + " after " + resolved, failed);
        }
      }
      afterRunbook(runbook, failed);
    }
    System.out.println(
        "runbooks: "
            + ran
            + " commands run from "
            + RUNBOOKS.size()
            + " runbooks, "
            + notRunnable.size()
            + " not runnable on the sandbox");
    assertTrue(
        failed.isEmpty(),
        failed.size() + " runbook commands failed:\n" + String.join("\n", failed));
    assertTrue(
        ScenarioIT.pollUntil(() -> cluster.get() == null, SETTLE),
        "deleting-a-cluster.md deleted it");
  }

  /**
   * The objects the runbooks refer to beside the cluster: a schedule and the object-store
   * credentials.
   */
  private void prepareWhatTheRunbooksName() throws IOException {
    env.client()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("s3-credentials")
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToStringData("accessKeyId", "runbook")
                .addToStringData("secretAccessKey", "runbook-secret")
                .build())
        .create();
    String schedule =
        String.join(
            "\n",
            "apiVersion: redis.io/v1",
            "kind: RedisScheduledBackup",
            "metadata: {name: cache-nightly, namespace: default}",
            "spec: {cluster: {name: cache}, schedule: '0 3 * * *', destination: {bucket: backups, path: nightly}}");
    env.client()
        .load(new ByteArrayInputStream(schedule.getBytes(StandardCharsets.UTF_8)))
        .items()
        .forEach(o -> env.client().resource(o).create());
  }

  private void afterRunbook(String runbook, List<String> failed) {
    switch (runbook) {
      case "backups.md" ->
          env.client()
              .resources(RedisCluster.class)
              .inNamespace(NAMESPACE)
              .withName("cache-restored")
              .delete(); // the restore waits for a backup no object store will hold
      case "deleting-a-cluster.md" -> {
        return;
      }
      default -> {}
    }
    settle(runbook, failed);
  }

  private String drainedNode;

  /** The node of a replica (the runbook switches the primary away first). */
  private String replicaNode() {
    if (drainedNode == null) {
      String primary = cluster.get().getStatus().getCurrentPrimary();
      drainedNode =
          cluster.pods().values().stream()
              .filter(p -> !p.getMetadata().getName().equals(primary))
              .filter(p -> !p.getMetadata().getName().equals("cache-2"))
              .map(p -> p.getSpec().getNodeName())
              .findFirst()
              .orElseThrow();
    }
    return drainedNode;
  }

  private void settle(String after, List<String> failed) {
    RedisCluster c = cluster.get();
    if (c == null) {
      return;
    }
    try {
      cluster.awaitHealthy(SETTLE);
    } catch (java.util.concurrent.TimeoutException e) {
      failed.add(after + ": not Healthy again: " + e.getMessage());
    }
  }

  /** What the agent reports: the instance refuses writes. */
  private static boolean fenced(RedisCluster c, String pod) {
    var instances = c.getStatus() == null ? null : c.getStatus().getInstancesStatus();
    return instances != null
        && instances.get(pod) != null
        && Boolean.TRUE.equals(instances.get(pod).getFenced());
  }

  private Map<String, String> uids() {
    return cluster.pods().values().stream()
        .collect(
            Collectors.toMap(p -> p.getMetadata().getName(), (Pod p) -> p.getMetadata().getUid()));
  }

  private record Result(int code, String out) {}

  /**
   * Runs a command line as a user would: bash, plain kubectl and kubectl-redis on the PATH, the
   * sandbox kubeconfig.
   */
  private Result run(String command) {
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-o", "pipefail", "-c", command)
            .redirectErrorStream(true)
            .directory(repo.toFile());
    Map<String, String> environment = pb.environment();
    environment.put(
        "PATH",
        env.kubectl().getParent()
            + ":"
            + repo.resolve("scripts")
            + ":"
            + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    environment.put("KUBECONFIG", kubeconfig.toString());
    environment.put("REDIS_OPERATOR_JAR", SandboxConfig.findOperatorJar().toString());
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        return new Result(-1, out);
      }
      System.out.println("$ " + command + "\n" + out.strip() + "\n-> " + p.exitValue());
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }
}
