package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.BackupManifest;
import io.redisoperator.protocol.agent.BackupProgress;
import io.redisoperator.protocol.agent.BackupRequest;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.agent.RestoreSource;
import io.redisoperator.protocol.crd.BackupMethod;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.testsupport.S3TestStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backups and bootstrap restores of real agents with real redis-server against s3proxy: both
 * methods round-trip every key, and every failure (checksum, unreachable store, wrong credentials,
 * missing bucket) is named, leaves Redis serving and leaves nothing in the store that looks like a
 * completed backup.
 */
class BackupIT {
  private static final String BUCKET = "backups";
  private static final int KEYS = 2000;

  /** Large random values, so the object spans several parts uploaded concurrently. */
  private static final int BLOBS = 6;

  private static final int BLOB_HEX_CHARS = 4 * 1024 * 1024;

  @RegisterExtension final AgentHarness h = new AgentHarness();
  private S3TestStore store;

  @BeforeEach
  void setUp() throws Exception {
    store = new S3TestStore(Files.createTempDirectory("backup-it-store"));
    store.createBucket(BUCKET);
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
  }

  @Test
  void rdbBackupRestoresEveryKeyIntoANewClusterWithAofOn() throws Exception {
    roundTrip(BackupMethod.RDB, "127.0.18.1", "127.0.18.2");
  }

  @Test
  void aofBackupRestoresEveryKeyIntoANewCluster() throws Exception {
    roundTrip(BackupMethod.AOF, "127.0.18.3", "127.0.18.4");
  }

  private void roundTrip(BackupMethod method, String sourceIp, String restoredIp) throws Exception {
    AgentHarness.Node source = primary(sourceIp);
    writeKeys(source, KEYS);
    List<String> blobs = writeBlobs(source);
    ObjectLocation location =
        location(
            store.endpoint(), BUCKET, "ns/rc/rc-" + method.name().toLowerCase() + suffix(method));

    BackupProgress done = backup(source, "b-" + method.name().toLowerCase(), method, location);
    assertEquals(BackupProgress.State.COMPLETED, done.state(), String.valueOf(done.error()));
    byte[] object = store.get(BUCKET, location.key());
    assertEquals(object.length, done.sizeBytes());
    assertEquals(sha256(object), done.sha256());
    assertTrue(object.length > 2L * 8 * 1024 * 1024, "several parts: " + object.length);
    BackupManifest manifest =
        Json.mapper().readValue(store.get(BUCKET, location.manifestKey()), BackupManifest.class);
    assertEquals(done.sha256(), manifest.sha256());
    assertEquals(method, manifest.method());
    assertEquals(done, source.status().backup(), "the status carries the same progress");
    source.stop();

    // A brand-new cluster (no primary recorded) whose first pod restores the backup before Redis
    // starts.
    h.clusterStatus(null, List.of());
    AgentHarness.Node restored = h.node(0, restoredIp);
    h.pod("rc-0", restoredIp);
    credentials(restored, S3TestStore.ACCESS_KEY, S3TestStore.SECRET_KEY);
    restoreSource(restored, new RestoreSource(location, null, null));
    restored.start();
    restored.awaitUp();
    try (RedisConnection c = restored.redis()) {
      assertEquals(KEYS + BLOBS, c.sync().dbsize());
      assertEquals("value-" + (KEYS - 1), c.sync().get("key:" + (KEYS - 1)));
      for (int i = 0; i < BLOBS; i++) {
        assertEquals(blobs.get(i), c.sync().get("blob:" + i), "blob " + i);
      }
      assertEquals(
          "yes", c.sync().configGet("appendonly").get("appendonly"), "restored with AOF on");
    }
    assertEquals(BackupProgress.State.COMPLETED, restored.status().backup().state());
    assertTrue(Files.exists(restored.dataDir.resolve(".redis-operator-restored")));
    // Restarting never restores again: Redis keeps what it has written since.
    try (RedisConnection c = restored.redis()) {
      c.sync().set("after-restore", "kept");
    }
    restored.stop();
    restored.start();
    restored.awaitUp();
    try (RedisConnection c = restored.redis()) {
      assertEquals("kept", c.sync().get("after-restore"));
    }
  }

  @Test
  void checksumMismatchNeverStartsRedis() throws Exception {
    AgentHarness.Node source = primary("127.0.18.5");
    writeKeys(source, 100);
    ObjectLocation location = location(store.endpoint(), BUCKET, "ns/rc/mismatch.rdb");
    assertEquals(
        BackupProgress.State.COMPLETED,
        backup(source, "b-mismatch", BackupMethod.RDB, location).state());
    source.stop();

    h.clusterStatus(null, List.of());
    AgentHarness.Node restored = h.node(0, "127.0.18.6");
    h.pod("rc-0", restored.ip);
    credentials(restored, S3TestStore.ACCESS_KEY, S3TestStore.SECRET_KEY);
    restoreSource(restored, new RestoreSource(location, BackupMethod.RDB, "0".repeat(64)));
    restored.start();
    // The supervisor retries the start, so the restore goes RUNNING again between reports: keep the
    // failed one seen.
    java.util.concurrent.atomic.AtomicReference<BackupProgress> seen =
        new java.util.concurrent.atomic.AtomicReference<>();
    AgentHarness.await(
        "restore failure reported",
        Duration.ofSeconds(20),
        () -> {
          BackupProgress p = restored.status().backup();
          seen.set(p);
          return p != null && p.state() == BackupProgress.State.FAILED;
        });
    BackupProgress failed = seen.get();
    assertTrue(failed.error().contains("checksum mismatch"), failed.error());
    assertFalse(restored.status().redisUp());
    assertFalse(Files.exists(restored.dataDir.resolve("appendonlydir")), "nothing swapped in");
    assertFalse(Files.exists(restored.dataDir.resolve(".redis-operator-restored")));
  }

  @Test
  void unreachableStoreFailsWithAClearErrorAndRedisServes() throws Exception {
    AgentHarness.Node node = primary("127.0.18.7");
    writeKeys(node, 10);
    BackupProgress p =
        backup(
            node,
            "b-unreachable",
            BackupMethod.RDB,
            location("http://127.0.0.1:1", BUCKET, "ns/rc/x.rdb"));
    assertEquals(BackupProgress.State.FAILED, p.state());
    assertTrue(p.error().contains("cannot reach the store"), p.error());
    assertRedisServes(node);
  }

  @Test
  void wrongCredentialsFailWithAClearErrorAndLeaveNothing() throws Exception {
    AgentHarness.Node node = primary("127.0.18.8");
    writeKeys(node, 10);
    credentials(node, S3TestStore.ACCESS_KEY, "not-the-secret");
    BackupProgress p =
        backup(
            node, "b-creds", BackupMethod.AOF, location(store.endpoint(), BUCKET, "ns/rc/c.tar"));
    assertEquals(BackupProgress.State.FAILED, p.state());
    assertTrue(p.error().contains("refused the credentials"), p.error());
    assertEquals(List.of(), store.keys(BUCKET));
    assertRedisServes(node);

    // The rotated Secret is used by the next backup, without a restart.
    credentials(node, S3TestStore.ACCESS_KEY, S3TestStore.SECRET_KEY);
    assertEquals(
        BackupProgress.State.COMPLETED,
        backup(
                node,
                "b-creds-2",
                BackupMethod.AOF,
                location(store.endpoint(), BUCKET, "ns/rc/c.tar"))
            .state());
  }

  @Test
  void missingBucketFailsWithAClearError() throws Exception {
    AgentHarness.Node node = primary("127.0.18.9");
    writeKeys(node, 10);
    BackupProgress p =
        backup(
            node,
            "b-bucket",
            BackupMethod.RDB,
            location(store.endpoint(), "no-such-bucket", "k.rdb"));
    assertEquals(BackupProgress.State.FAILED, p.state());
    assertTrue(p.error().contains("no-such-bucket does not exist"), p.error());
    assertRedisServes(node);
  }

  @Test
  void malformedRequestsAre400() throws Exception {
    AgentHarness.Node node = primary("127.0.18.10");
    assertEquals(400, node.call("POST", AgentApi.PATH_BACKUP, "{\"backupId\":\"../x\"}").status());
    assertEquals(400, node.call("POST", AgentApi.PATH_BACKUP, "not json").status());
    assertEquals(404, node.call("GET", AgentApi.PATH_BACKUP, null).status());
  }

  private AgentHarness.Node primary(String ip) throws Exception {
    h.clusterStatus("rc-0", List.of());
    AgentHarness.Node n = h.node(0, ip);
    h.pod("rc-0", ip);
    credentials(n, S3TestStore.ACCESS_KEY, S3TestStore.SECRET_KEY);
    n.start();
    n.awaitUp();
    return n;
  }

  private static void writeKeys(AgentHarness.Node node, int count) {
    try (RedisConnection c = node.redis()) {
      for (int i = 0; i < count; i++) {
        c.sync().set("key:" + i, "value-" + i);
      }
    }
  }

  private static List<String> writeBlobs(AgentHarness.Node node) {
    java.util.Random random = new java.util.Random(7);
    List<String> values = new java.util.ArrayList<>();
    try (RedisConnection c = node.redis()) {
      for (int i = 0; i < BLOBS; i++) {
        byte[] bytes = new byte[BLOB_HEX_CHARS / 2];
        random.nextBytes(bytes);
        values.add(HexFormat.of().formatHex(bytes));
        c.sync().set("blob:" + i, values.get(i));
      }
    }
    return values;
  }

  private static void assertRedisServes(AgentHarness.Node node) {
    try (RedisConnection c = node.redis()) {
      assertEquals("OK", c.sync().set("still", "serving"));
    }
  }

  private static BackupProgress backup(
      AgentHarness.Node node, String id, BackupMethod method, ObjectLocation location)
      throws Exception {
    AgentHarness.Reply accepted =
        node.call("POST", AgentApi.PATH_BACKUP, new BackupRequest(id, method, location));
    assertEquals(202, accepted.status(), accepted.body());
    AgentHarness.await(
        "backup " + id + " finished",
        Duration.ofSeconds(60),
        () -> {
          BackupProgress p = node.call("GET", AgentApi.PATH_BACKUP, null).as(BackupProgress.class);
          return p.backupId().equals(id) && p.finished();
        });
    BackupProgress p = node.call("GET", AgentApi.PATH_BACKUP, null).as(BackupProgress.class);
    assertNotNull(p.finishedAtMillis());
    return p;
  }

  private static ObjectLocation location(String endpoint, String bucket, String key) {
    return new ObjectLocation(endpoint, "us-east-1", true, bucket, key);
  }

  private static String suffix(BackupMethod method) {
    return method == BackupMethod.RDB ? ".rdb" : ".tar";
  }

  private static void credentials(AgentHarness.Node node, String accessKey, String secretKey)
      throws Exception {
    // Both keys in one generation, swapped in at once, as the kubelet projects a Secret.
    Path dir = Files.createDirectories(node.agentSettings().dirs().backupCredentials());
    Path generation = Files.createDirectories(dir.resolve("..gen_" + System.nanoTime()));
    Files.writeString(generation.resolve(InstanceLayout.BACKUP_KEY_ACCESS_KEY_ID), accessKey);
    Files.writeString(generation.resolve(InstanceLayout.BACKUP_KEY_SECRET_ACCESS_KEY), secretKey);
    Path tmpLink = dir.resolve("..data_tmp");
    Files.deleteIfExists(tmpLink);
    Files.createSymbolicLink(tmpLink, generation.getFileName());
    Files.move(
        tmpLink,
        dir.resolve("..data"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    for (String key :
        List.of(
            InstanceLayout.BACKUP_KEY_ACCESS_KEY_ID, InstanceLayout.BACKUP_KEY_SECRET_ACCESS_KEY)) {
      if (!Files.isSymbolicLink(dir.resolve(key))) {
        Files.createSymbolicLink(dir.resolve(key), Path.of("..data").resolve(key));
      }
    }
  }

  private static void restoreSource(AgentHarness.Node node, RestoreSource source) throws Exception {
    Path dir = Files.createDirectories(node.agentSettings().dirs().restore());
    Files.writeString(
        dir.resolve(InstanceLayout.RESTORE_KEY), Json.mapper().writeValueAsString(source));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
