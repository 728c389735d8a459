package io.redisoperator.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.protocol.agent.InstanceSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The deciding parts of backup and restore: manifests, archive names, request checks, the restore
 * decision.
 */
class BackupPureTest {
  private static final Optional<ClusterView> NEW_CLUSTER =
      Optional.of(new ClusterView(null, List.of(), null));

  @Test
  void manifestKeepsBaseAndIncrementalFilesInOrder() throws Exception {
    AofManifest m =
        AofManifest.parse(
            "file appendonly.aof.1.base.rdb seq 1 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type h\n"
                + "file appendonly.aof.2.incr.aof seq 2 type i\n"
                + "file appendonly.aof.3.incr.aof seq 3 type i\n");
    assertEquals(
        List.of(
            "appendonly.aof.1.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.3.incr.aof"),
        m.liveFiles().stream().map(AofManifest.Entry::name).toList());
    assertEquals(
        "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n"
            + "file appendonly.aof.3.incr.aof seq 3 type i\n",
        m.liveText());
  }

  @Test
  void manifestNamingAPathOrNothingLiveIsRefused() {
    assertThrows(
        BackupException.class, () -> AofManifest.parse("file ../../etc/passwd seq 1 type b\n"));
    assertThrows(BackupException.class, () -> AofManifest.parse("file a.aof seq 1 type h\n"));
    assertThrows(BackupException.class, () -> AofManifest.parse("file a.aof seq x type b\n"));
  }

  @Test
  void rdbBaseManifestIsWhatRedisWrites() {
    assertEquals(
        "file appendonly.aof.1.base.rdb seq 1 type b\n",
        AofManifest.rdbBase("appendonly.aof.1.base.rdb").liveText());
  }

  @Test
  void archiveEntriesMustBePlainFilesOfTheirDirectory() {
    assertEquals(
        Optional.of("appendonly.aof.1.base.rdb"),
        ArchiveNames.fileInDirectory("appendonlydir/appendonly.aof.1.base.rdb", "appendonlydir"));
    assertEquals(
        Optional.empty(), ArchiveNames.fileInDirectory("appendonlydir/../x", "appendonlydir"));
    assertEquals(
        Optional.empty(), ArchiveNames.fileInDirectory("appendonlydir/a/b", "appendonlydir"));
    assertEquals(Optional.empty(), ArchiveNames.fileInDirectory("/etc/passwd", "appendonlydir"));
    assertEquals(
        Optional.empty(), ArchiveNames.fileInDirectory("appendonlydir/.hidden", "appendonlydir"));
    assertFalse(ArchiveNames.isSimpleFileName(".."));
    assertTrue(ArchiveNames.isSimpleFileName("dump.rdb"));
  }

  @Test
  void restoreRunsOnlyOnTheFirstPodOfANewCluster() {
    assertEquals(
        RestoreDecision.Action.RESTORE,
        RestoreDecision.decide(true, "c-0", 0, NEW_CLUSTER, false, false).action());
    assertEquals(
        RestoreDecision.Action.NONE,
        RestoreDecision.decide(false, "c-0", 0, NEW_CLUSTER, false, false).action());
    assertEquals(
        RestoreDecision.Action.NONE,
        RestoreDecision.decide(true, "c-1", 1, NEW_CLUSTER, false, false).action());
    assertEquals(
        RestoreDecision.Action.NONE,
        RestoreDecision.decide(true, "c-0", 0, NEW_CLUSTER, true, true).action());
    Optional<ClusterView> running = Optional.of(new ClusterView("c-2", List.of(), "10.0.0.2"));
    assertEquals(
        RestoreDecision.Action.NONE,
        RestoreDecision.decide(true, "c-0", 0, running, false, false).action());
    Optional<ClusterView> designated = Optional.of(new ClusterView("c-0", List.of(), null));
    assertEquals(
        RestoreDecision.Action.RESTORE,
        RestoreDecision.decide(true, "c-0", 0, designated, false, false).action());
  }

  @Test
  void restoreWaitsWhenTheClusterCannotBeReadAndAdoptsACompletedSwap() {
    assertEquals(
        RestoreDecision.Action.WAIT,
        RestoreDecision.decide(true, "c-0", 0, Optional.empty(), false, false).action());
    assertEquals(
        RestoreDecision.Action.ADOPT,
        RestoreDecision.decide(true, "c-0", 0, NEW_CLUSTER, false, true).action());
  }

  @Test
  void fileNamesFollowTheUsersDirectives() {
    RedisFileNames defaults = RedisFileNames.of(new InstanceSettings(Map.of(), null, null));
    assertTrue(defaults.appendOnly());
    assertEquals("appendonlydir", defaults.aofDir());
    assertEquals("appendonly.aof.manifest", defaults.aofManifestName());
    RedisFileNames custom =
        RedisFileNames.of(
            new InstanceSettings(
                Map.of("appendonly", "no", "dbfilename", "\"snap.rdb\""), null, null));
    assertFalse(custom.appendOnly());
    assertEquals("snap.rdb", custom.rdbFileName());
  }

  @Test
  void requestsAreCheckedBeforeAnythingHappens() throws Exception {
    String good =
        "{\"backupId\":\"b-1\",\"method\":\"rdb\",\"location\":{\"endpoint\":\"http://127.0.0.1:9000\","
            + "\"region\":\"us-east-1\",\"pathStyle\":true,\"bucket\":\"backups\",\"key\":\"ns/c/b-1.rdb\"}}";
    assertEquals("b-1", BackupRequests.parse(good).backupId());
    assertThrows(BackupRequests.Invalid.class, () -> BackupRequests.parse(""));
    assertThrows(
        BackupRequests.Invalid.class,
        () -> BackupRequests.parse(good.replace("b-1\",", "../b\",")));
    assertThrows(
        BackupRequests.Invalid.class,
        () -> BackupRequests.parse(good.replace("\"rdb\"", "\"zip\"")));
    assertThrows(
        BackupRequests.Invalid.class, () -> BackupRequests.parse(good.replace("backups", "B")));
    assertThrows(
        BackupRequests.Invalid.class,
        () -> BackupRequests.parse(good.replace("b-1.rdb", "b-1.json")));
    assertThrows(
        BackupRequests.Invalid.class,
        () -> BackupRequests.parse(good.replace("http://", "file://")));
  }

  @Test
  void partsGrowOnlyForObjectsBeyondThePlannedPartCount() {
    assertEquals(MultipartUploadStream.MIN_PART_BYTES, MultipartUploadStream.partBytesFor(0));
    assertEquals(
        MultipartUploadStream.MIN_PART_BYTES, MultipartUploadStream.partBytesFor(50L << 30));
    long huge = 200L << 30;
    int part = MultipartUploadStream.partBytesFor(huge);
    assertTrue((long) part * MultipartUploadStream.PLANNED_PARTS >= huge);
    assertEquals(0, part % (1024 * 1024));
  }
}
