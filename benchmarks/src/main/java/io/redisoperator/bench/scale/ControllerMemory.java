package io.redisoperator.bench.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The controller's memory as its container's limit sees it, beyond the heap: resident now ({@code
 * VmRSS}), its peak since the JVM started ({@code VmHWM}, the start-up's or a restart's first
 * contacts included), and the JIT's code cache in use. C2 compiles more and larger code and runs
 * its own compiler threads, outside {@code -Xmx}.
 */
record ControllerMemory(long rssKb, long peakRssKb, long codeCacheKb) {
  private static final Pattern STATUS_KB = Pattern.compile("^(\\w+):\\s+(\\d+) kB$");
  private static final Pattern CODE_CACHE_USED = Pattern.compile(" used=(\\d+)Kb ");

  /** Reads /proc/<pid>/status and {@code jcmd <pid> Compiler.codecache} now. */
  static ControllerMemory read(String jcmd, long pid) {
    String status;
    try {
      status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the memory of " + pid + ": " + e.getMessage(), e);
    }
    return new ControllerMemory(
        statusKb(status, "VmRSS"),
        statusKb(status, "VmHWM"),
        parseCodeCacheUsedKb(
            ProcessStats.run(List.of(jcmd, Long.toString(pid), "Compiler.codecache"))));
  }

  /** A {@code Name: N kB} field of /proc/<pid>/status; -1 when missing. */
  static long statusKb(String status, String field) {
    for (String line : status.split("\n")) {
      Matcher m = STATUS_KB.matcher(line.strip());
      if (m.matches() && m.group(1).equals(field)) {
        return Long.parseLong(m.group(2));
      }
    }
    return -1;
  }

  /**
   * The code cache in use: the one {@code CodeCache:} line of a C1-only JVM, or the sum of the
   * {@code CodeHeap} lines of a segmented one (tiered, C2).
   */
  static long parseCodeCacheUsedKb(String codeCache) {
    long used = 0;
    boolean found = false;
    for (String line : codeCache.split("\n")) {
      if (line.startsWith("CodeCache:") || line.startsWith("CodeHeap ")) {
        Matcher m = CODE_CACHE_USED.matcher(line);
        if (m.find()) {
          used += Long.parseLong(m.group(1));
          found = true;
        }
      }
    }
    return found ? used : -1;
  }
}
