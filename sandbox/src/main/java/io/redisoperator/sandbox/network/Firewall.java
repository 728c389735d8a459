package io.redisoperator.sandbox.network;

import io.redisoperator.sandbox.state.StateDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * iptables DROP rules between loopback addresses, the sandbox's network partitions. Every rule is
 * recorded in the state directory before it is added, so a dead sandbox's rules are removed by the
 * watchdog or the reaper.
 */
public final class Firewall {
  private static volatile Optional<String> unavailable;

  private final StateDir state;

  public Firewall(StateDir state) {
    this.state = state;
  }

  /** Why partitions cannot be made on this machine, or empty when iptables works. */
  public static Optional<String> unavailableReason() {
    Optional<String> reason = unavailable;
    if (reason == null) {
      reason = probe();
      unavailable = reason;
    }
    return reason;
  }

  /** One added rule; {@link #remove()} deletes it. */
  public final class Rule {
    private final List<String> spec;
    private final Path record;

    private Rule(List<String> spec, Path record) {
      this.spec = spec;
      this.record = record;
    }

    public List<String> spec() {
      return spec;
    }

    public void remove() {
      deleteRule(spec);
      try {
        Files.deleteIfExists(record);
      } catch (IOException e) {
        // the reaper retries: deleting an absent rule is harmless
      }
    }
  }

  /**
   * Inserts {@code -I OUTPUT <match> -m comment --comment redis-sandbox:<id> -j DROP}. Loopback
   * packets traverse OUTPUT once, so one rule per direction cuts a path.
   */
  public Rule drop(List<String> match) {
    Optional<String> reason = unavailableReason();
    if (reason.isPresent()) {
      throw new IllegalStateException("iptables unavailable: " + reason.get());
    }
    List<String> spec = new ArrayList<>(List.of("-I", "OUTPUT"));
    spec.addAll(match);
    spec.addAll(List.of("-m", "comment", "--comment", "redis-sandbox:" + state.id(), "-j", "DROP"));
    Path record = state.recordRule(spec);
    List<String> argv = new ArrayList<>(List.of("iptables", "-w"));
    argv.addAll(spec);
    Result result = run(argv);
    if (result.exitCode != 0) {
      try {
        Files.deleteIfExists(record);
      } catch (IOException e) {
        // nothing was added; a stale record only makes the reaper try a harmless delete
      }
      throw new IllegalStateException(
          "iptables " + String.join(" ", spec) + " failed: " + result.output);
    }
    return new Rule(spec, record);
  }

  /** Deletes a recorded rule ({@code -I}/{@code -A} spec); false when it was not present. */
  public static boolean deleteRule(List<String> spec) {
    if (spec.size() < 2) {
      return false;
    }
    List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-D"));
    argv.addAll(spec.subList(1, spec.size()));
    return run(argv).exitCode == 0;
  }

  private static Optional<String> probe() {
    Result result = run(List.of("iptables", "-w", "-S", "OUTPUT"));
    if (result.exitCode == 127) {
      return Optional.of("iptables is not installed");
    }
    if (result.exitCode != 0) {
      return Optional.of(
          "iptables -S OUTPUT failed (exit " + result.exitCode + "): " + result.output.trim());
    }
    return Optional.empty();
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(124, "timed out");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(127, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(130, "interrupted");
    }
  }
}
