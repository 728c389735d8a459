package io.redisoperator.agent.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectedFilesTest {
  @TempDir Path dir;

  @Test
  void readsAKubeletProjectionAndItsVersion() throws Exception {
    Path v1 = Files.createDirectories(dir.resolve("..2026_11_24_01_00_00.1"));
    Files.writeString(v1.resolve("password"), "first\n");
    Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
    Files.createSymbolicLink(dir.resolve("password"), Path.of("..data/password"));
    assertEquals(
        new ProjectedValue("first", "..2026_11_24_01_00_00.1"),
        ProjectedFiles.read(dir, "password").orElseThrow());

    Path v2 = Files.createDirectories(dir.resolve("..2026_11_24_01_05_00.2"));
    Files.writeString(v2.resolve("password"), "second");
    Path tmp = dir.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, v2.getFileName());
    Files.move(
        tmp,
        dir.resolve("..data"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    assertEquals(
        new ProjectedValue("second", "..2026_11_24_01_05_00.2"),
        ProjectedFiles.read(dir, "password").orElseThrow());
  }

  @Test
  void plainFilesAreVersionedByMtimeAndMissingOnesAreEmpty() throws Exception {
    Files.writeString(dir.resolve("token"), "abc\r\n");
    ProjectedValue v = ProjectedFiles.read(dir, "token").orElseThrow();
    assertEquals("abc", v.value());
    assertTrue(v.version().startsWith("mtime-"));
    assertTrue(ProjectedFiles.read(dir, "absent").isEmpty());
    assertTrue(!v.toString().contains("abc"), "never prints the secret");
  }
}
