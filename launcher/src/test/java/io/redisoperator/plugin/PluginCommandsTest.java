package io.redisoperator.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import io.redisoperator.protocol.crd.Phase;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Annotations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The plugin's commands against the fabric8 mock API server (CRUD mode): what each writes, and what
 * it refuses.
 */
@EnableKubernetesMockClient(crud = true)
class PluginCommandsTest {
  static KubernetesClient client;
  private static final String NS = "prod";

  private static InstanceStatusEntry entry(InstanceRole role, boolean ready, Long lag) {
    InstanceStatusEntry e = new InstanceStatusEntry();
    e.setRole(role);
    e.setReady(ready);
    e.setRedisUp(true);
    e.setLinkUp(role == InstanceRole.REPLICA ? Boolean.TRUE : null);
    e.setLagBytes(lag);
    return e;
  }

  @BeforeEach
  void cluster() {
    client.resources(RedisCluster.class).inNamespace(NS).delete();
    client.resources(RedisBackup.class).inNamespace(NS).delete();
    client.secrets().inNamespace(NS).delete();
    RedisCluster rc = new RedisCluster();
    rc.setMetadata(new ObjectMetaBuilder().withName("cache").withNamespace(NS).build());
    RedisClusterSpec spec = new RedisClusterSpec();
    spec.setInstances(3);
    rc.setSpec(spec);
    RedisClusterStatus status = new RedisClusterStatus();
    status.setPhase(Phase.HEALTHY);
    status.setCurrentPrimary("cache-0");
    status.setTargetPrimary("cache-0");
    status.setReadyInstances(3);
    status.getInstancesStatus().put("cache-0", entry(InstanceRole.PRIMARY, true, 0L));
    status.getInstancesStatus().put("cache-1", entry(InstanceRole.REPLICA, true, 900L));
    status.getInstancesStatus().put("cache-2", entry(InstanceRole.REPLICA, true, 12L));
    rc.setStatus(status);
    client.resources(RedisCluster.class).inNamespace(NS).resource(rc).create();
  }

  private String run(String... args) {
    PluginMain main = new PluginMain();
    // The command closes its client: give it its own, bound to the mock server.
    main.clients =
        ns -> new KubernetesClientBuilder().withConfig(client.getConfiguration()).build();
    main.clock = Clock.fixed(Instant.parse("2024-05-06T07:08:09Z"), ZoneOffset.UTC);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(main);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 1;
        });
    String[] withNs = new String[args.length + 2];
    withNs[0] = "-n";
    withNs[1] = NS;
    System.arraycopy(args, 0, withNs, 2, args.length);
    int code = cli.execute(withNs);
    return code + "\n" + out + err;
  }

  private Map<String, String> annotations() {
    Map<String, String> a =
        client
            .resources(RedisCluster.class)
            .inNamespace(NS)
            .withName("cache")
            .get()
            .getMetadata()
            .getAnnotations();
    return a == null ? Map.of() : a;
  }

  @Test
  void switchoverPicksTheLeastBehindReadyReplicaOrTheOneAsked() {
    String out = run("switchover", "cache");
    assertTrue(out.startsWith("0\n"), out);
    assertEquals("cache-2", annotations().get(Annotations.SWITCHOVER_TO));
    run("switchover", "cache", "--to", "cache-1");
    assertEquals("cache-1", annotations().get(Annotations.SWITCHOVER_TO));
    String refused = run("switchover", "cache", "--to", "cache-0");
    assertTrue(refused.startsWith("1\n") && refused.contains("already the primary"), refused);
  }

  @Test
  void switchoverSkipsAReplicaFencedByHand() {
    run("fence", "cache", "cache-2");
    run("switchover", "cache");
    assertEquals("cache-1", annotations().get(Annotations.SWITCHOVER_TO));
  }

  @Test
  void fenceAndUnfenceEditTheListTheOperatorReads() {
    run("fence", "cache", "cache-1");
    assertEquals("cache-1", annotations().get(Annotations.FENCED_INSTANCES));
    run("fence", "cache", "cache-2");
    assertEquals("[\"cache-1\",\"cache-2\"]", annotations().get(Annotations.FENCED_INSTANCES));
    run("unfence", "cache", "cache-1");
    assertEquals("cache-2", annotations().get(Annotations.FENCED_INSTANCES));
    run("unfence", "cache", "cache-2");
    assertFalse(annotations().containsKey(Annotations.FENCED_INSTANCES));
    run("fence", "cache", "*");
    assertEquals("*", annotations().get(Annotations.FENCED_INSTANCES));
    String refused = run("unfence", "cache", "cache-1");
    assertTrue(refused.startsWith("1\n"), refused);
    run("unfence", "cache", "*");
    assertFalse(annotations().containsKey(Annotations.FENCED_INSTANCES));
  }

  @Test
  void hibernateSetsTheAnnotationAndRefusesOtherWords() {
    run("hibernate", "cache", "on");
    assertEquals("on", annotations().get(Annotations.HIBERNATION));
    run("hibernate", "cache", "off");
    assertEquals("off", annotations().get(Annotations.HIBERNATION));
    assertNotEquals('0', run("hibernate", "cache", "maybe").charAt(0));
    assertEquals("off", annotations().get(Annotations.HIBERNATION));
  }

  @Test
  void restartRecordsTheTimeTheOperatorRestartsFrom() {
    String out = run("restart", "cache");
    assertTrue(out.startsWith("0\n") && out.contains("rolling restart of cache requested"), out);
    assertEquals("2024-05-06T07:08:09Z", annotations().get(Annotations.RESTARTED_AT));
    assertTrue(run("restart", "nope").contains("RedisCluster prod/nope not found"));
  }

  @Test
  void backupCreatesARedisBackupOfTheClusterWithTheGivenDestination() {
    String out =
        run(
            "backup",
            "cache",
            "--bucket",
            "b",
            "--path",
            "p",
            "--endpoint",
            "https://s3.local",
            "--path-style");
    assertTrue(out.contains("redisbackup/cache-20240506-070809 created"), out);
    RedisBackup backup =
        client.resources(RedisBackup.class).inNamespace(NS).withName("cache-20240506-070809").get();
    assertEquals("cache", backup.getSpec().getCluster().getName());
    assertEquals(
        new io.redisoperator.protocol.crd.ObjectStore("b", "p", "https://s3.local", null, true),
        backup.getSpec().getDestination());
  }

  /** The API server requires spec.destination (the mock does not check it, so the test does). */
  @Test
  void backupWithoutBucketWritesWhereTheClustersScheduleWrites() {
    String refused = run("backup", "cache");
    assertTrue(
        refused.startsWith("1\n")
            && refused.contains("no destination")
            && refused.contains("--bucket"),
        refused);
    io.redisoperator.protocol.crd.RedisScheduledBackup schedule =
        new io.redisoperator.protocol.crd.RedisScheduledBackup();
    schedule.getMetadata().setName("cache-nightly");
    schedule.getMetadata().setNamespace(NS);
    schedule.getSpec().setCluster(new io.redisoperator.protocol.crd.ClusterReference("cache"));
    schedule.getSpec().setSchedule("0 3 * * *");
    schedule
        .getSpec()
        .setDestination(
            new io.redisoperator.protocol.crd.ObjectStore("nightly", "redis", null, null, null));
    client
        .resources(io.redisoperator.protocol.crd.RedisScheduledBackup.class)
        .inNamespace(NS)
        .resource(schedule)
        .create();
    String out = run("backup", "cache");
    assertTrue(out.contains("redisbackup/cache-20240506-070809 created"), out);
    RedisBackup backup =
        client.resources(RedisBackup.class).inNamespace(NS).withName("cache-20240506-070809").get();
    assertEquals("nightly", backup.getSpec().getDestination().getBucket());
  }

  @Test
  void unknownClusterIsAnErrorNamingIt() {
    String out = run("fence", "nope", "nope-0");
    assertTrue(out.startsWith("1\n") && out.contains("RedisCluster prod/nope not found"), out);
  }

  @Test
  void statusShowsPrimaryPodsAndEvents() {
    client
        .v1()
        .events()
        .inNamespace(NS)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("cache.1")
                .withNamespace(NS)
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("RedisCluster")
                .withName("cache")
                .withNamespace(NS)
                .endInvolvedObject()
                .withType("Normal")
                .withReason("Promoted")
                .withMessage("cache-0 promoted")
                .withLastTimestamp("2024-05-06T07:00:00Z")
                .build())
        .create();
    String out = run("status", "cache");
    assertTrue(out.contains("Primary:   cache-0"), out);
    assertTrue(out.contains("Phase:     HEALTHY") || out.contains("Phase:     Healthy"), out);
    assertTrue(
        out.lines()
            .anyMatch(l -> l.startsWith("cache-2") && l.contains("replica") && l.contains(" 12 ")),
        out);
    assertTrue(out.contains("Promoted  cache-0 promoted"), out);
    assertTrue(out.contains("Last backup: none"), out);
  }

  @Test
  void passwordComesFromTheAuthSecret() {
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("cache-auth")
                .endMetadata()
                .withData(
                    Map.of(
                        "password",
                        Base64.getEncoder()
                            .encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
    ClusterCommands commands = new ClusterCommands(client, NS, Clock.systemUTC());
    assertEquals(
        "s3cret", new String(commands.password(commands.get("cache")), StandardCharsets.UTF_8));
  }

  @Test
  void reportRedactsSecretValues() throws Exception {
    Map<String, String> labels = new HashMap<>(Map.of("redis.io/cluster", "cache"));
    client
        .secrets()
        .inNamespace(NS)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("cache-auth")
                .withLabels(labels)
                .withAnnotations(
                    Map.of(
                        "kubectl.kubernetes.io/last-applied-configuration",
                        "{\"data\":{\"password\":\"czNjcmV0\"}}"))
                .endMetadata()
                .withData(Map.of("password", "czNjcmV0"))
                .build())
        .createOrReplace();
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    int entries = new BugReport(client, NS).write("cache", "redis-operator", zip);
    assertTrue(entries >= 8, "entries: " + entries);
    StringBuilder all = new StringBuilder();
    boolean sawSecrets = false;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        all.append(text);
        if (e.getName().endsWith("secrets-redacted.yaml")) {
          sawSecrets = text.contains("cache-auth") && text.contains(BugReport.REDACTED);
        }
      }
    }
    assertTrue(sawSecrets, all.toString());
    assertFalse(all.toString().contains("czNjcmV0"), "a secret value leaked into the report");
    assertTrue(
        all.toString().contains("currentPrimary: \"cache-0\"")
            || all.toString().contains("currentPrimary: cache-0"),
        all.toString());
  }

  @Test
  void fenceListMatchesTheOperatorsFormat() {
    assertEquals("a", FenceList.fence(null, "a"));
    assertEquals("[\"a\",\"b\"]", FenceList.fence("a", "b"));
    assertEquals("[\"a\",\"b\"]", FenceList.fence("[\"b\", \"a\"]", "a"));
    assertEquals("*", FenceList.fence("a,b", "*"));
    assertNull(FenceList.unfence("a", "a"));
    assertEquals("b", FenceList.unfence("a, b", "a"));
  }
}
