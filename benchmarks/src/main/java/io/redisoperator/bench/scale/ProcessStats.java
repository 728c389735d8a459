package io.redisoperator.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process's CPU time (from /proc), its heap after a full GC (jcmd), and pinning it to a core
 * (taskset).
 */
final class ProcessStats {
  /** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100.0;

  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private ProcessStats() {}

  /** User plus system CPU seconds the process has used so far. */
  static double cpuSeconds(long pid) {
    try {
      return parseCpuTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
          / TICKS_PER_SECOND;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the CPU time of " + pid + ": " + e.getMessage(), e);
    }
  }

  /**
   * utime + stime (fields 14 and 15) of a /proc/<pid>/stat line; the command name may hold spaces.
   */
  static long parseCpuTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * Pins every thread of the process (and the threads they start) to {@code cpus}, a taskset list
   * ("1", "0,2").
   */
  static void pin(long pid, String cpus) {
    run(List.of("taskset", "-a", "-p", "-c", cpus, Long.toString(pid)));
  }

  /**
   * Heap in use right after a full collection, in MiB (sum of the generations' "used" of
   * GC.heap_info).
   */
  static long heapUsedAfterFullGcMb(String jcmd, long pid) {
    run(List.of(jcmd, Long.toString(pid), "GC.run"));
    return parseHeapUsedKb(run(List.of(jcmd, Long.toString(pid), "GC.heap_info"))) / 1024;
  }

  /**
   * The first {@code lines} lines of the live objects' class histogram (jcmd GC.class_histogram,
   * which collects first): where the heap goes.
   */
  static String classHistogram(String jcmd, long pid, int lines) {
    String[] all = run(List.of(jcmd, Long.toString(pid), "GC.class_histogram")).split("\n");
    return String.join("\n", java.util.Arrays.asList(all).subList(0, Math.min(lines, all.length)));
  }

  /** {@code jcmd Thread.print}: every thread with its CPU time so far (see {@link ThreadCpu}). */
  static String threadDump(String jcmd, long pid) {
    return run(List.of(jcmd, Long.toString(pid), "Thread.print"));
  }

  /** The "used NK" of each generation line (not the metaspace lines) of jcmd GC.heap_info. */
  static long parseHeapUsedKb(String heapInfo) {
    long used = 0;
    for (String line : heapInfo.split("\n")) {
      if (line.contains("Metaspace") || line.contains("class space")) {
        continue;
      }
      Matcher m = USED.matcher(line);
      if (m.find()
          && (line.contains("generation")
              || line.contains("garbage-first heap")
              || line.contains("region"))) {
        used += Long.parseLong(m.group(1));
      }
    }
    return used;
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
