package io.redisoperator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.BackupMethod;
import io.redisoperator.protocol.crd.BackupPhase;
import io.redisoperator.protocol.crd.BackupReference;
import io.redisoperator.protocol.crd.BackupSpec;
import io.redisoperator.protocol.crd.BootstrapSpec;
import io.redisoperator.protocol.crd.ClusterReference;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.ObjectStore;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisScheduledBackup;
import io.redisoperator.protocol.crd.SecretReference;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.testsupport.S3TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
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
 * Backups and restores on the sandbox, with s3proxy in this JVM as the store: 10,000 keys backed up
 * and found again in a new cluster bootstrapped from the backup (rdb and aof), a schedule every
 * minute trimmed to its history limit, and a backup whose pod is deleted mid-transfer ending Failed
 * while the next one succeeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackupScenariosIT {
  static final String NAMESPACE = "default";
  static final String SOURCE = "bk";
  static final String BUCKET = "backups";
  static final String CREDENTIALS = "s3-credentials";
  static final int KEYS = 10_000;

  private ClusterEnvironment env;
  private S3TestStore store;
  private RedisClusterFixture source;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(
        EnvironmentKind.selected() == EnvironmentKind.SANDBOX,
        "the store runs in the test JVM, which only sandbox pods reach");
    Assumptions.assumeTrue(
        EnvironmentKind.SANDBOX.unavailableReason().isEmpty(), "sandbox unavailable");
    env = EnvironmentKind.SANDBOX.start("backup");
    store =
        new S3TestStore(
            Path.of("target", "s3-store")
                .toAbsolutePath()
                .resolve(Long.toString(System.nanoTime())));
    store.createBucket(BUCKET);
    env.client()
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(CREDENTIALS)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withStringData(
                    Map.of(
                        InstanceLayout.BACKUP_KEY_ACCESS_KEY_ID,
                        S3TestStore.ACCESS_KEY,
                        InstanceLayout.BACKUP_KEY_SECRET_ACCESS_KEY,
                        S3TestStore.SECRET_KEY))
                .build())
        .create();
    source = new RedisClusterFixture(env, NAMESPACE, SOURCE);
    createCluster(SOURCE, 3, null);
    source.awaitHealthy(Duration.ofMinutes(4));
    try (StatefulRedisConnection<String, String> c = source.connect(source.leader())) {
      write(c, "key:", KEYS, "value-");
      assertTrue(c.sync().waitForReplication(2, 10_000) >= 2, "keys replicated before the backups");
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (source != null) {
      source.close();
    }
    if (store != null) {
      store.close();
    }
    if (env != null) {
      env.close();
    }
  }

  @Test
  @Order(1)
  @Tag("ci")
  @Tag("chaos")
  void rdbBackupRestoresEveryKeyIntoANewCluster() throws Exception {
    roundTrip(BackupMethod.RDB, "bk-rdb");
  }

  @Test
  @Order(2)
  @Tag("chaos")
  void aofBackupRestoresEveryKeyIntoANewCluster() throws Exception {
    roundTrip(BackupMethod.AOF, "bk-aof");
  }

  private void roundTrip(BackupMethod method, String restored) throws Exception {
    String scenario = "backup-restore-" + method.name().toLowerCase();
    List<String> problems = new ArrayList<>();
    long start = System.nanoTime();
    RedisBackup done =
        awaitBackup(createBackup(scenario, method, store.endpoint()), Duration.ofMinutes(3));
    double backupSeconds = (System.nanoTime() - start) / 1e9;
    if (done.getStatus().getPhase() != BackupPhase.COMPLETED) {
      report(
          scenario,
          false,
          -1,
          "backup " + done.getStatus().getPhase() + ": " + done.getStatus().getError());
      throw new AssertionError("backup did not complete: " + done.getStatus().getError());
    }
    String key = done.getStatus().getObjectKey();
    assertTrue(
        store.keys(BUCKET).containsAll(List.of(key, key + ".json")),
        "object and manifest in the store");
    assertNotNull(done.getStatus().getSha256());
    assertTrue(done.getStatus().getSizeBytes() > 0);
    String primary = source.get().getStatus().getCurrentPrimary();
    if (done.getStatus().getInstance().equals(primary)) {
      problems.add("prefer-replica took the backup on the primary " + primary);
    }

    long restoreStart = System.nanoTime();
    BootstrapSpec bootstrap = new BootstrapSpec();
    bootstrap.setBackup(new BackupReference(scenario));
    createCluster(restored, 2, bootstrap);
    RedisClusterFixture copy = new RedisClusterFixture(env, NAMESPACE, restored);
    long missing;
    try {
      copy.awaitHealthy(Duration.ofMinutes(4));
      double restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
      try (StatefulRedisConnection<String, String> c = copy.connect(copy.leader())) {
        missing = missingKeys(c);
        if (missing > 0) {
          problems.add(missing + " of " + KEYS + " keys missing after the restore");
        }
        if (c.sync().waitForReplication(1, 10_000) < 1) {
          problems.add("the replica did not sync from the restored primary");
        }
      }
      String replica =
          copy.pods().keySet().stream()
              .filter(p -> !p.equals(copy.get().getStatus().getCurrentPrimary()))
              .findFirst()
              .orElseThrow();
      try (StatefulRedisConnection<String, String> c = copy.connectToPod(replica)) {
        long replicaKeys = c.sync().dbsize();
        if (replicaKeys < KEYS) {
          problems.add("replica " + replica + " has " + replicaKeys + " keys");
        }
      }
      report(
          scenario,
          problems.isEmpty(),
          restoreSeconds,
          String.format(
              java.util.Locale.ROOT,
              "backup_s=%.1f size_bytes=%d%s",
              backupSeconds,
              done.getStatus().getSizeBytes(),
              problems.isEmpty() ? "" : " " + String.join("; ", problems)));
    } finally {
      env.client().resources(RedisCluster.class).inNamespace(NAMESPACE).withName(restored).delete();
      copy.close();
    }
    assertEquals(List.of(), problems);
  }

  @Test
  @Order(3)
  @Tag("chaos")
  void scheduleEveryMinuteKeepsItsHistoryLimit() {
    String name = "every-minute";
    RedisScheduledBackup s = new RedisScheduledBackup();
    s.getMetadata().setName(name);
    s.getMetadata().setNamespace(NAMESPACE);
    s.getSpec().setCluster(new ClusterReference(SOURCE));
    s.getSpec().setSchedule("* * * * *");
    s.getSpec().setImmediate(true);
    s.getSpec().setSuccessfulBackupsHistoryLimit(1);
    s.getSpec().setFailedBackupsHistoryLimit(1);
    s.getSpec().setDestination(new ObjectStore(BUCKET, "scheduled", store.endpoint(), null, true));
    env.client().resource(s).create();
    Set<String> completed = new HashSet<>();
    List<String> problems = new ArrayList<>();
    long start = System.nanoTime();
    long deadline = start + Duration.ofMinutes(4).toNanos();
    List<RedisBackup> own = List.of();
    while (System.nanoTime() < deadline) {
      own =
          env.client()
              .resources(RedisBackup.class)
              .inNamespace(NAMESPACE)
              .withLabel(Labels.SCHEDULED_BACKUP, name)
              .list()
              .getItems();
      own.stream()
          .filter(b -> b.getStatus() != null && b.getStatus().getPhase() == BackupPhase.COMPLETED)
          .forEach(b -> completed.add(b.getMetadata().getName()));
      long kept =
          own.stream()
              .filter(
                  b -> b.getStatus() != null && b.getStatus().getPhase() == BackupPhase.COMPLETED)
              .count();
      if (completed.size() >= 2 && kept == 1) {
        break;
      }
      ScenarioIT.sleep(500);
    }
    RedisScheduledBackup seen = env.client().resource(s).get();
    if (completed.size() < 2) {
      problems.add("only " + completed.size() + " scheduled backups completed");
    }
    long kept =
        own.stream()
            .filter(b -> b.getStatus() != null && b.getStatus().getPhase() == BackupPhase.COMPLETED)
            .count();
    if (kept != 1) {
      problems.add(kept + " Completed backups kept, history limit 1");
    }
    if (seen.getStatus() == null
        || !Conditions.isTrue(seen.getStatus().getConditions(), ConditionType.SCHEDULE_VALID)) {
      problems.add("ScheduleValid is not True");
    } else if (seen.getStatus().getNextScheduleTime() == null
        || seen.getStatus().getLastScheduleTime() == null) {
      problems.add("status lacks the last or next schedule time");
    }
    env.client().resource(seen).delete();
    report(
        "backup-schedule",
        problems.isEmpty(),
        (System.nanoTime() - start) / 1e9,
        "completed="
            + completed.size()
            + " kept="
            + kept
            + (problems.isEmpty() ? "" : " " + String.join("; ", problems)));
    assertEquals(List.of(), problems);
  }

  @Test
  @Order(4)
  @Tag("chaos")
  void backupWhosePodIsDeletedEndsFailedAndTheNextSucceeds() throws Exception {
    String scenario = "backup-pod-deleted";
    try (StatefulRedisConnection<String, String> c = source.connect(source.leader())) {
      String big = "x".repeat(16 * 1024);
      write(c, "big:", 256, big); // 4 MiB more, sent at 128 KiB/s below: about 30 s of transfer
      c.sync().waitForReplication(2, 10_000);
    }
    List<String> problems = new ArrayList<>();
    String detail = "";
    long start = System.nanoTime();
    try (ThrottledProxy slow = new ThrottledProxy(store.port(), 128 * 1024)) {
      RedisBackup b = createBackup("interrupted", BackupMethod.RDB, slow.endpoint());
      RedisBackup running =
          awaitBackupWhere(
              b,
              x ->
                  x.getStatus() != null
                      && x.getStatus().getPhase() != null
                      && x.getStatus().getPhase() != BackupPhase.PENDING,
              Duration.ofMinutes(2));
      assertEquals(
          BackupPhase.RUNNING,
          running.getStatus().getPhase(),
          String.valueOf(running.getStatus().getError()));
      String pod = running.getStatus().getInstance();
      String objectKey = running.getStatus().getObjectKey();
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (!transferStarted(objectKey) && System.nanoTime() < deadline) {
        ScenarioIT.sleep(50);
      }
      if (!transferStarted(objectKey)) {
        problems.add("the transfer never started");
      }
      env.client().pods().inNamespace(NAMESPACE).withName(pod).delete();
      RedisBackup failed = awaitBackup(b, Duration.ofMinutes(2));
      if (failed.getStatus().getPhase() != BackupPhase.FAILED) {
        problems.add("the interrupted backup ended " + failed.getStatus().getPhase());
      } else if (failed.getStatus().getError() == null
          || !failed.getStatus().getError().contains(pod)) {
        problems.add(
            "the interrupted backup's error does not name the pod: "
                + failed.getStatus().getError());
      }
      detail = "error=" + failed.getStatus().getError();
      if (store.keys(BUCKET).contains(running.getStatus().getObjectKey())) {
        problems.add("a half-written object is visible in the store");
      }
    }
    source.awaitHealthy(Duration.ofMinutes(3));
    RedisBackup next =
        awaitBackup(
            createBackup("after-interruption", BackupMethod.RDB, store.endpoint()),
            Duration.ofMinutes(3));
    if (next.getStatus().getPhase() != BackupPhase.COMPLETED) {
      problems.add(
          "the next backup ended "
              + next.getStatus().getPhase()
              + ": "
              + next.getStatus().getError());
    }
    report(
        scenario,
        problems.isEmpty(),
        (System.nanoTime() - start) / 1e9,
        problems.isEmpty() ? detail : String.join("; ", problems));
    assertEquals(List.of(), problems);
  }

  /**
   * The object's bytes are arriving: s3proxy's filesystem store lists a PUT's temporary file as
   * {@code <key>-<uuid>} while the request is open, and a multipart upload as started.
   */
  private boolean transferStarted(String objectKey) {
    return store.pendingUploads(BUCKET) > 0
        || store.keys(BUCKET).stream().anyMatch(k -> k.startsWith(objectKey + "-"));
  }

  private void createCluster(String name, int instances, BootstrapSpec bootstrap) {
    RedisCluster c = new RedisCluster();
    c.getMetadata().setName(name);
    c.getMetadata().setNamespace(NAMESPACE);
    c.getSpec().setInstances(instances);
    c.getSpec().setBackup(new BackupSpec(new SecretReference(CREDENTIALS)));
    c.getSpec().setBootstrap(bootstrap);
    env.client().resource(c).create();
  }

  private RedisBackup createBackup(String name, BackupMethod method, String endpoint) {
    RedisBackup b = new RedisBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(NAMESPACE);
    b.getSpec().setCluster(new ClusterReference(SOURCE));
    b.getSpec().setMethod(method);
    b.getSpec().setDestination(new ObjectStore(BUCKET, "e2e", endpoint, null, true));
    return env.client().resource(b).create();
  }

  private RedisBackup awaitBackup(RedisBackup b, Duration timeout) {
    return awaitBackupWhere(
        b,
        x ->
            x.getStatus() != null
                && (x.getStatus().getPhase() == BackupPhase.COMPLETED
                    || x.getStatus().getPhase() == BackupPhase.FAILED),
        timeout);
  }

  private RedisBackup awaitBackupWhere(
      RedisBackup b, Predicate<RedisBackup> condition, Duration timeout) {
    try {
      return env.client()
          .resources(RedisBackup.class)
          .inNamespace(NAMESPACE)
          .withName(b.getMetadata().getName())
          .waitUntilCondition(
              x -> x != null && condition.test(x), timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      RedisBackup last = env.client().resource(b).get();
      throw new AssertionError(
          "backup "
              + b.getMetadata().getName()
              + " stuck: "
              + (last == null || last.getStatus() == null
                  ? "no status"
                  : last.getStatus().getPhase() + " " + last.getStatus().getError()),
          e);
    }
  }

  private static void write(
      StatefulRedisConnection<String, String> c, String prefix, int count, String value) {
    List<RedisFuture<String>> writes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      writes.add(c.async().set(prefix + i, value.endsWith("-") ? value + i : value));
    }
    assertTrue(
        LettuceFutures.awaitAll(Duration.ofSeconds(60), writes.toArray(new RedisFuture[0])),
        "writes acknowledged");
  }

  private static long missingKeys(StatefulRedisConnection<String, String> c) {
    List<RedisFuture<String>> reads = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      reads.add(c.async().get("key:" + i));
    }
    LettuceFutures.awaitAll(Duration.ofSeconds(60), reads.toArray(new RedisFuture[0]));
    long missing = 0;
    for (int i = 0; i < KEYS; i++) {
      if (!("value-" + i).equals(reads.get(i).toCompletableFuture().join())) {
        missing++;
      }
    }
    return missing;
  }

  private static void report(String scenario, boolean passed, double seconds, String detail) {
    new ScenarioReport(scenario, passed, -1, 0, seconds, detail).publish();
  }
}
