package io.redisoperator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The one line `make chaos` prints per scenario; also appended to target/chaos-results.txt for the
 * summary.
 *
 * @param writeGapMillis longest time between two acknowledged writes after the fault (-1: no
 *     writer)
 * @param ackedLost acknowledged writes missing afterwards
 * @param recoverySeconds from the fault to a Healthy cluster accepting writes through -leader again
 */
record ScenarioReport(
    String scenario,
    boolean passed,
    long writeGapMillis,
    long ackedLost,
    double recoverySeconds,
    String detail,
    boolean skipped) {
  static final Path RESULTS = Path.of("target", "chaos-results.txt");

  ScenarioReport(
      String scenario,
      boolean passed,
      long writeGapMillis,
      long ackedLost,
      double recoverySeconds,
      String detail) {
    this(scenario, passed, writeGapMillis, ackedLost, recoverySeconds, detail, false);
  }

  /**
   * A scenario that could not run here (no root or iptables for a partition, no operator jar, no
   * Docker): a SKIP line with the reason, so `make chaos` can refuse to call a run with skips a
   * pass.
   */
  static ScenarioReport skipped(String scenario, String reason) {
    return new ScenarioReport(scenario, false, -1, -1, -1, "skipped: " + reason, true);
  }

  String line() {
    return String.format(
        Locale.ROOT,
        "chaos: scenario=%s result=%s write_gap_ms=%d acked_lost=%d recovery_s=%.1f%s",
        scenario,
        skipped ? "SKIP" : passed ? "PASS" : "FAIL",
        writeGapMillis,
        ackedLost,
        recoverySeconds,
        detail == null || detail.isEmpty() ? "" : " detail=\"" + detail.replace('"', '\'') + "\"");
  }

  void publish() {
    String line = line();
    System.out.println(line);
    try {
      Files.createDirectories(RESULTS.toAbsolutePath().getParent());
      Files.writeString(
          RESULTS,
          line + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
