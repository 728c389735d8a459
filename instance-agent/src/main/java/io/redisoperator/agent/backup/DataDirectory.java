package io.redisoperator.agent.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** File moves of the restore: a staged dataset enters the data directory by one rename. */
final class DataDirectory {
  private DataDirectory() {}

  /**
   * Renames {@code staging/entry} to {@code dataDir/entry} atomically. Anything already there (an
   * empty AOF directory: nothing Redis would load, or the restore would not run) is first moved
   * aside into the staging directory.
   */
  static void swapIn(Path staging, String entry, Path dataDir) throws IOException {
    Path target = dataDir.resolve(entry);
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.move(target, staging.resolve(entry + ".previous"), StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging.resolve(entry), target, StandardCopyOption.ATOMIC_MOVE);
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
