package io.redisoperator.sandbox.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
  @TempDir Path dir;

  private static FileContent text(String s, int mode) {
    return new FileContent(s.getBytes(StandardCharsets.UTF_8), mode);
  }

  @Test
  void writesKeysAsSymlinksIntoTheDataLink() throws Exception {
    AtomicWriter.write(dir, Map.of("password", text("one", 0640)));
    Path password = dir.resolve("password");
    assertTrue(Files.isSymbolicLink(password));
    assertEquals(Path.of("..data", "password"), Files.readSymbolicLink(password));
    assertEquals("one", Files.readString(password));
    assertEquals(
        "rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(password)));
  }

  @Test
  void anUpdateSwapsTheDataLinkRemovesStaleKeysAndTheOldPayload() throws Exception {
    AtomicWriter.write(dir, Map.of("a", text("1", 0644), "b", text("2", 0644)));
    Path first = Files.readSymbolicLink(dir.resolve("..data"));
    AtomicWriter.write(dir, Map.of("a", text("3", 0644)));
    Path second = Files.readSymbolicLink(dir.resolve("..data"));
    assertNotEquals(first, second);
    assertEquals("3", Files.readString(dir.resolve("a")));
    assertFalse(Files.exists(dir.resolve("b"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertFalse(Files.exists(dir.resolve(first)));
    try (Stream<Path> entries = Files.list(dir)) {
      assertEquals(3, entries.count(), "a, ..data and one payload directory");
    }
  }
}
