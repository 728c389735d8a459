package io.redisoperator.sandbox.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A program started in its own session and process group (via {@code setsid}), the way a container
 * runtime isolates a container: a signal to the group reaches every process the program started (an
 * agent's redis-server included), and Ctrl-C on the sandbox's terminal does not reach it. The group
 * id is the main process's pid.
 */
public final class ProcessGroup {
  private final Process process;
  private final long pgid;

  private ProcessGroup(Process process) {
    this.process = process;
    this.pgid = process.pid();
  }

  /**
   * Starts {@code argv} with exactly {@code env} as its environment, stdout and stderr appended to
   * {@code log}. {@code setsid} calls setsid(2) and execs in place (the child of a JVM is never a
   * group leader), so the pid stays.
   */
  public static ProcessGroup start(
      List<String> argv, Map<String, String> env, Path workDir, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("setsid");
    command.addAll(argv);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    ProcessGroup group = new ProcessGroup(builder.start());
    group.awaitOwnGroup();
    return group;
  }

  /**
   * Until the child has called setsid(2) its group is still ours, and a signal to its group id
   * would reach nobody: a group signalled right after the start (a reaper, a fault) must already
   * exist.
   */
  private void awaitOwnGroup() {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(2).toNanos();
    while (process.isAlive()
        && !Optional.of(pgid).equals(processGroupOf(pgid))
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public long pgid() {
    return pgid;
  }

  public Process process() {
    return process;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Sends a signal to the main process only, as a container runtime does with the stop signal. */
  public void signalMain(Signal signal) {
    send(signal, String.valueOf(pgid));
  }

  /** Sends a signal to every process of the group. */
  public void signalGroup(Signal signal) {
    signalGroup(pgid, signal);
  }

  /** Sends a signal to a process group by id (used by the reaper for groups of a dead sandbox). */
  public static void signalGroup(long pgid, Signal signal) {
    send(signal, "-" + pgid);
  }

  /** Sends a signal to one process by pid. */
  public static void signalProcess(long pid, Signal signal) {
    send(signal, String.valueOf(pid));
  }

  /**
   * SIGTERM to the main process, up to {@code grace} for it to exit, then SIGKILL to the whole
   * group. A zero grace kills at once. Whatever the main process left behind in its group is killed
   * too, as when a container's cgroup is torn down.
   */
  public void terminate(Duration grace) {
    if (!grace.isZero() && process.isAlive()) {
      signalMain(Signal.TERM);
      awaitExit(grace);
    }
    signalGroup(Signal.KILL);
    awaitExit(Duration.ofSeconds(5));
    awaitGroupGone(Duration.ofSeconds(5));
  }

  public boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Pids of every live process whose process group is this one (the main process may already be
   * gone).
   */
  public List<Long> members() {
    return membersOf(pgid);
  }

  /** Pids in a process group, read from /proc (field 5 of /proc/PID/stat is the pgrp). */
  public static List<Long> membersOf(long pgid) {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      entries
          .map(p -> p.getFileName().toString())
          .filter(n -> n.chars().allMatch(Character::isDigit))
          .forEach(
              n -> {
                Optional<Long> group = processGroupOf(Long.parseLong(n));
                if (group.isPresent() && group.get() == pgid) {
                  pids.add(Long.parseLong(n));
                }
              });
    } catch (IOException e) {
      // /proc unreadable: callers fall back to the main process only.
    }
    return pids;
  }

  static Optional<Long> processGroupOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // The command name in parentheses may contain spaces: fields start after the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      if (fields[0].equals("Z")) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(fields[2]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private void awaitGroupGone(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!members().isEmpty() && System.nanoTime() < deadline) {
      signalGroup(Signal.KILL);
      sleep(Duration.ofMillis(20));
    }
  }

  private static void send(Signal signal, String target) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal.name(), "--", target)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
