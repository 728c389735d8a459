package io.redisoperator.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's length is known before it is written (so it can go as one PUT of that length):
 * computed from the files' sizes, it is exactly what the tar writer produces, for sizes on and
 * around the tar record boundaries; names that need an extended header make it an estimate.
 */
class AofSnapshotTest {
  @TempDir Path dir;

  @Test
  void theExactLengthIsTheArchiveWrittenForSizesAroundRecordBoundaries() throws Exception {
    int[][] cases = {{0, 0}, {1, 511}, {512, 513}, {1023, 100_000}, {4096, 1}};
    for (int[] sizes : cases) {
      Path aofDir = Files.createDirectories(dir.resolve("case-" + sizes[0] + "-" + sizes[1]));
      write(aofDir.resolve("appendonly.aof.3.base.rdb"), sizes[0]);
      write(aofDir.resolve("appendonly.aof.5.incr.aof"), sizes[1]);
      write(aofDir.resolve("appendonly.aof.6.incr.aof"), sizes[1] / 2);
      Files.writeString(
          aofDir.resolve("appendonly.aof.manifest"),
          "file appendonly.aof.3.base.rdb seq 3 type b\n"
              + "file appendonly.aof.5.incr.aof seq 5 type i\n"
              + "file appendonly.aof.6.incr.aof seq 6 type i\n");
      try (AofSnapshot snapshot =
          AofSnapshot.read(aofDir, "appendonlydir", "appendonly.aof.manifest")) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        snapshot.writeTo(out);
        assertTrue(snapshot.lengthExact());
        assertEquals(out.size(), snapshot.expectedBytes(), "sizes " + sizes[0] + "/" + sizes[1]);
      }
    }
  }

  @Test
  void aNameNeedingAnExtendedHeaderMakesTheLengthAnEstimate() throws Exception {
    String longDir = "d".repeat(90); // with "/appendonly.aof.1.base.rdb" past the header's 100
    Path aofDir = Files.createDirectories(dir.resolve(longDir));
    write(aofDir.resolve("appendonly.aof.1.base.rdb"), 10);
    Files.writeString(
        aofDir.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.base.rdb seq 1 type b\n");
    try (AofSnapshot snapshot = AofSnapshot.read(aofDir, longDir, "appendonly.aof.manifest")) {
      assertFalse(snapshot.lengthExact());
    }
  }

  private static void write(Path file, int size) throws Exception {
    byte[] data = new byte[size];
    new Random(size).nextBytes(data);
    Files.write(file, data);
  }
}
