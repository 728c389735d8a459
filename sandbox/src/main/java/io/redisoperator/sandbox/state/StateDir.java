package io.redisoperator.sandbox.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Everything one sandbox leaves on the machine is recorded under one directory, so that a later
 * sandbox (the {@link Reaper}) or the {@link Watchdog} can undo it when this JVM dies without
 * cleaning up: process groups it started, iptables rules it added, loopback addresses it claimed,
 * pod and volume directories.
 *
 * <pre>
 * root/instances/ID/owner            "pid startMillis" of the owning JVM
 * root/instances/ID/groups/PGID      one empty file per live process group
 * root/instances/ID/rules/N          one iptables rule per file (the -A arguments)
 * root/instances/ID/pods, pvcs, logs the kubelet's directories
 * TMP/redis-operator-sandbox-addresses/IP  a claimed loopback address; content: the claiming instance directory
 * </pre>
 *
 * <p>Address claims live in one machine-wide directory whatever the state root, so sandboxes with
 * different roots (a test run and {@code make run}) never hand out the same address.
 */
public final class StateDir {
  /**
   * Environment variable put on every process the sandbox starts: lets the reaper find strays by
   * /proc environ.
   */
  public static final String ENV_INSTANCE = "REDIS_SANDBOX_INSTANCE";

  private final Path root;
  private final String id;
  private final Path dir;

  private StateDir(Path root, String id) {
    this.root = root;
    this.id = id;
    this.dir = root.resolve("instances").resolve(id);
  }

  /** Creates a fresh instance directory owned by this JVM. */
  public static StateDir create(Path root) {
    String id = ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    StateDir state = new StateDir(root.toAbsolutePath(), id);
    try {
      Files.createDirectories(state.dir.resolve("groups"));
      Files.createDirectories(state.dir.resolve("rules"));
      Files.createDirectories(state.dir.resolve("pods"));
      Files.createDirectories(state.dir.resolve("pvcs"));
      Files.createDirectories(state.dir.resolve("logs"));
      Files.createDirectories(addressesRoot());
      ProcessHandle self = ProcessHandle.current();
      long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
      Files.writeString(state.dir.resolve("owner"), self.pid() + " " + start);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create sandbox state under " + root, e);
    }
    return state;
  }

  static StateDir existing(Path root, String id) {
    return new StateDir(root, id);
  }

  public Path root() {
    return root;
  }

  public String id() {
    return id;
  }

  public Path dir() {
    return dir;
  }

  public Path podsDir() {
    return dir.resolve("pods");
  }

  public Path pvcsDir() {
    return dir.resolve("pvcs");
  }

  public Path logsDir() {
    return dir.resolve("logs");
  }

  public Path groupsDir() {
    return dir.resolve("groups");
  }

  public Path rulesDir() {
    return dir.resolve("rules");
  }

  public Path addressesDir() {
    return addressesRoot();
  }

  public static Path addressesRoot() {
    return Path.of(System.getProperty("java.io.tmpdir"), "redis-operator-sandbox-addresses");
  }

  public void recordGroup(long pgid) {
    touch(groupsDir().resolve(String.valueOf(pgid)));
  }

  public void forgetGroup(long pgid) {
    delete(groupsDir().resolve(String.valueOf(pgid)));
  }

  public List<Long> recordedGroups() {
    return list(groupsDir()).stream().map(p -> Long.parseLong(p.getFileName().toString())).toList();
  }

  /**
   * Records an iptables rule before it is added; returns the file to delete once the rule is
   * removed.
   */
  public Path recordRule(List<String> ruleArgs) {
    try {
      Path file = Files.createTempFile(rulesDir(), "rule-", "");
      Files.writeString(file, String.join("\n", ruleArgs), StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<List<String>> recordedRules() {
    return list(rulesDir()).stream().map(StateDir::readLines).toList();
  }

  /**
   * Atomically claims a loopback address for this instance; false when another live or dead
   * instance holds it.
   */
  public boolean claimAddress(String ip) {
    try {
      Files.writeString(
          addressesDir().resolve(ip),
          dir.toString(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void releaseAddress(String ip) {
    Path claim = addressesDir().resolve(ip);
    if (dir.toString().equals(readOrNull(claim))) {
      delete(claim);
    }
  }

  /** Releases every address this instance claimed. */
  public void releaseAllAddresses() {
    for (Path claim : list(addressesDir())) {
      if (dir.toString().equals(readOrNull(claim))) {
        delete(claim);
      }
    }
  }

  /** Deletes the instance directory and everything under it. */
  public void deleteTree() {
    deleteRecursively(dir);
  }

  public static void deleteRecursively(Path path) {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(StateDir::delete);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void touch(Path file) {
    try {
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      // already recorded
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A directory a process still writes into: the reaper removes it later.
    }
  }

  static List<Path> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  static String readOrNull(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      return null;
    }
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }
}
