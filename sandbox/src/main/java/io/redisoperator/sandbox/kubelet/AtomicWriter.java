package io.redisoperator.sandbox.kubelet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a projected volume the way the kubelet's AtomicWriter does, so that readers never see a
 * half-updated set of files and watchers see one rename:
 *
 * <pre>
 * dir/..2026_11_24_01_02_03.123456789/password   the payload, in a fresh timestamped directory
 * dir/..data -> ..2026_11_24_01_02_03.123456789  swapped by renaming a new symlink over it (atomic)
 * dir/password -> ..data/password                one user-visible symlink per key
 * </pre>
 */
public final class AtomicWriter {
  static final String DATA_LINK = "..data";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.nnnnnnnnn");

  private AtomicWriter() {}

  /** Replaces the payload of {@code dir} with {@code files} (keys may contain '/'). */
  public static void write(Path dir, Map<String, FileContent> files) {
    try {
      Files.createDirectories(dir);
      Path oldTarget = currentTarget(dir);
      Path payload = dir.resolve(".." + LocalDateTime.now().format(STAMP));
      Files.createDirectory(payload);
      for (Map.Entry<String, FileContent> e : files.entrySet()) {
        Path file = payload.resolve(e.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, e.getValue().bytes());
        Files.setPosixFilePermissions(file, permissions(e.getValue().mode()));
      }
      Path tmpLink = dir.resolve("..data_tmp");
      Files.deleteIfExists(tmpLink);
      Files.createSymbolicLink(tmpLink, payload.getFileName());
      Files.move(
          tmpLink,
          dir.resolve(DATA_LINK),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      Set<String> topLevel = new HashSet<>();
      for (String key : files.keySet()) {
        String first = key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
        topLevel.add(first);
        Path link = dir.resolve(first);
        if (!Files.isSymbolicLink(link)) {
          Files.createSymbolicLink(link, Path.of(DATA_LINK, first));
        }
      }
      removeStaleLinks(dir, topLevel);
      if (oldTarget != null && !oldTarget.equals(payload)) {
        deleteTree(oldTarget);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write projected volume " + dir, e);
    }
  }

  /**
   * The payload {@code files} would produce, as currently visible in {@code dir} (null when never
   * written).
   */
  static Path currentTarget(Path dir) throws IOException {
    Path link = dir.resolve(DATA_LINK);
    if (!Files.isSymbolicLink(link)) {
      return null;
    }
    return dir.resolve(Files.readSymbolicLink(link));
  }

  private static void removeStaleLinks(Path dir, Set<String> keep) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        if (!name.startsWith("..") && !keep.contains(name) && Files.isSymbolicLink(entry)) {
          Files.delete(entry);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> perms = new HashSet<>();
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_READ,
      PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        perms.add(order[bit]);
      }
    }
    return perms;
  }
}
