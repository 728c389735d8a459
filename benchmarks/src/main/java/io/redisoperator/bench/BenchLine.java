package io.redisoperator.bench;

import java.util.List;
import java.util.Optional;

/** The benchmark's output line for one kind of fault. */
final class BenchLine {
  private BenchLine() {}

  /**
   * {@code failover: kind=.. runs=N write_gap_p50_ms=.. write_gap_p99_ms=.. acked_lost=..
   * loss_window_ms=.. split_brain_ms=.. ratio_to_tuned_sentinel=..}: gaps as percentiles over the
   * completed runs, acked_lost summed, loss_window_ms and split_brain_ms the worst run; runs that
   * did not settle are counted apart ({@code failed_runs}), never averaged in. split_brain_ms only
   * where probes watched every node ({@code splitBrainMeasured}); the ratio (this p99 divided by
   * the tuned anchor's) only when {@code tunedAnchorP99} is given; {@code durability=on} (spec and
   * a writer that waits for WAIT) or {@code durability=spec-only} (spec and a plain writer) when
   * given.
   */
  static String format(
      String kind,
      List<FaultRun.Result> results,
      Optional<String> durability,
      boolean splitBrainMeasured,
      Optional<Long> tunedAnchorP99) {
    List<FaultRun.Result> done = results.stream().filter(FaultRun.Result::completed).toList();
    List<Long> gaps = done.stream().map(FaultRun.Result::gapMillis).toList();
    String figures =
        gaps.isEmpty()
            ? "write_gap_p50_ms=NA write_gap_p99_ms=NA"
            : "write_gap_p50_ms="
                + RunAnalysis.percentile(gaps, 50)
                + " write_gap_p99_ms="
                + RunAnalysis.percentile(gaps, 99);
    String line =
        "failover: kind="
            + kind
            + " runs="
            + done.size()
            + " "
            + figures
            + " acked_lost="
            + done.stream().mapToLong(FaultRun.Result::ackedLost).sum()
            + " loss_window_ms="
            + done.stream().mapToLong(FaultRun.Result::lossWindowMillis).max().orElse(0);
    if (splitBrainMeasured) {
      line +=
          " split_brain_ms="
              + done.stream().mapToLong(FaultRun.Result::splitBrainMillis).max().orElse(0);
    }
    if (tunedAnchorP99.isPresent() && !gaps.isEmpty() && tunedAnchorP99.get() > 0) {
      line +=
          String.format(
              java.util.Locale.ROOT,
              " ratio_to_tuned_sentinel=%.2f",
              RunAnalysis.percentile(gaps, 99) / (double) tunedAnchorP99.get());
    }
    long failed = results.size() - done.size();
    return line
        + durability.map(d -> " durability=" + d).orElse("")
        + (failed > 0 ? " failed_runs=" + failed : "");
  }
}
