package io.redisoperator.sandbox.state;

import io.redisoperator.sandbox.network.Firewall;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.process.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what sandboxes whose JVM died (SIGKILL, crash) left behind: their process groups and any
 * stray process carrying their instance marker, their iptables rules, their address claims and
 * their directories. Runs when a new sandbox starts; live sandboxes are never touched.
 */
public final class Reaper {
  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private Reaper() {}

  /** Reaps every dead instance under {@code root}; returns the ids reaped. */
  public static List<String> reapStale(Path root) {
    List<String> reaped = new ArrayList<>();
    for (Path instance : StateDir.list(root.resolve("instances"))) {
      Optional<Owner> owner = Owner.parse(StateDir.readOrNull(instance.resolve("owner")));
      if (owner.isPresent() && owner.get().isAlive()) {
        continue;
      }
      String id = instance.getFileName().toString();
      reap(StateDir.existing(root, id));
      reaped.add(id);
    }
    releaseOrphanedClaims();
    return reaped;
  }

  /**
   * Address claims whose instance directory is gone (reaped under another state root, or removed by
   * hand).
   */
  private static void releaseOrphanedClaims() {
    for (Path claim : StateDir.list(StateDir.addressesRoot())) {
      String owner = StateDir.readOrNull(claim);
      if (owner != null && !owner.isEmpty() && !Files.isDirectory(Path.of(owner))) {
        StateDir.delete(claim);
      }
    }
  }

  /**
   * Undoes everything recorded for one instance (its owner must be dead, or be the caller shutting
   * down).
   */
  public static void reap(StateDir state) {
    int killed = 0;
    for (long pgid : state.recordedGroups()) {
      if (!ProcessGroup.membersOf(pgid).isEmpty()) {
        ProcessGroup.signalGroup(pgid, Signal.KILL);
        killed++;
      }
      state.forgetGroup(pgid);
    }
    killed += killStrays(state.dir().toString());
    int rules = 0;
    for (List<String> rule : state.recordedRules()) {
      if (Firewall.deleteRule(rule)) {
        rules++;
      }
    }
    state.releaseAllAddresses();
    StateDir.deleteRecursively(state.dir());
    log.info(
        "reaped sandbox instance {}: {} process groups, {} iptables rules",
        state.id(),
        killed,
        rules);
  }

  /** Kills processes whose environment names this instance (they escaped their process group). */
  private static int killStrays(String instanceDir) {
    byte[] marker =
        (StateDir.ENV_INSTANCE + "=" + instanceDir + "\0").getBytes(StandardCharsets.UTF_8);
    int killed = 0;
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)
            || Long.parseLong(name) == ProcessHandle.current().pid()) {
          continue;
        }
        if (contains(readEnviron(p), marker)) {
          ProcessGroup.signalProcess(Long.parseLong(name), Signal.KILL);
          killed++;
        }
      }
    } catch (IOException e) {
      log.warn("cannot scan /proc for stray sandbox processes: {}", e.getMessage());
    }
    return killed;
  }

  private static byte[] readEnviron(Path proc) {
    try {
      return Files.readAllBytes(proc.resolve("environ"));
    } catch (IOException | SecurityException e) {
      return new byte[0];
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (i > 0 && haystack[i - 1] != 0) {
        continue;
      }
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
