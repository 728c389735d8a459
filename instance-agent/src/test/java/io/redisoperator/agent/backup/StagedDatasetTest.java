package io.redisoperator.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.crd.BackupMethod;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe extraction: only plain files of the AOF directory, checksum over every byte, RDB laid out as
 * an AOF base.
 */
class StagedDatasetTest {
  private static final RedisFileNames DEFAULTS =
      RedisFileNames.of(new InstanceSettings(Map.of(), null, null));

  @TempDir Path staging;

  @Test
  void rdbBecomesTheBaseOfAFreshMultiPartAof() throws Exception {
    byte[] rdb = "REDIS0011-fake".getBytes(StandardCharsets.US_ASCII);
    StagedDataset s =
        StagedDataset.write(
            new ByteArrayInputStream(rdb), BackupMethod.RDB, DEFAULTS, staging, b -> {});
    assertEquals("appendonlydir", s.entry());
    assertEquals(sha256(rdb), s.sha256());
    assertEquals(rdb.length, s.sizeBytes());
    Path dir = staging.resolve("appendonlydir");
    assertEquals(
        "file appendonly.aof.1.base.rdb seq 1 type b\n",
        Files.readString(dir.resolve("appendonly.aof.manifest")));
    assertEquals("REDIS0011-fake", Files.readString(dir.resolve("appendonly.aof.1.base.rdb")));
  }

  @Test
  void aofArchiveIsExtractedWithItsManifest() throws Exception {
    byte[] tar =
        tar(
            Map.of(
                "appendonlydir/appendonly.aof.1.base.rdb",
                "base",
                "appendonlydir/appendonly.aof.1.incr.aof",
                "incr",
                "appendonlydir/appendonly.aof.manifest",
                "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"));
    StagedDataset s =
        StagedDataset.write(
            new ByteArrayInputStream(tar), BackupMethod.AOF, DEFAULTS, staging, b -> {});
    assertEquals(sha256(tar), s.sha256(), "the checksum covers the whole object, padding included");
    assertEquals(
        "incr", Files.readString(staging.resolve("appendonlydir/appendonly.aof.1.incr.aof")));
  }

  @Test
  void pathTraversalAndMissingFilesAreRefused() throws Exception {
    byte[] escaping =
        tar(Map.of("appendonlydir/../../evil", "x", "appendonlydir/appendonly.aof.manifest", "m"));
    assertThrows(
        BackupException.class,
        () ->
            StagedDataset.write(
                new ByteArrayInputStream(escaping), BackupMethod.AOF, DEFAULTS, staging, b -> {}));
    assertFalse(Files.exists(staging.getParent().resolve("evil")));
    byte[] absolute = tar(Map.of("/etc/evil", "x"));
    assertThrows(
        BackupException.class,
        () ->
            StagedDataset.write(
                new ByteArrayInputStream(absolute),
                BackupMethod.AOF,
                DEFAULTS,
                staging.resolve("b"),
                b -> {}));
    byte[] incomplete =
        tar(
            Map.of(
                "appendonlydir/appendonly.aof.manifest",
                "file appendonly.aof.1.base.rdb seq 1 type b\n"));
    BackupException e =
        assertThrows(
            BackupException.class,
            () ->
                StagedDataset.write(
                    new ByteArrayInputStream(incomplete),
                    BackupMethod.AOF,
                    DEFAULTS,
                    staging.resolve("c"),
                    b -> {}));
    assertTrue(e.getMessage().contains("lacks"), e.getMessage());
  }

  private static byte[] tar(Map<String, String> files) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      for (var f : new java.util.TreeMap<>(files).entrySet()) {
        byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(f.getKey(), true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }
}
