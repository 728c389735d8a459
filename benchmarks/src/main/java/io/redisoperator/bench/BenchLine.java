package io.redisoperator.bench;

import java.util.List;

/** The benchmark's output line for one kind of fault. */
final class BenchLine {
  private BenchLine() {}

  /**
   * {@code failover: kind=.. runs=N write_gap_p50_ms=.. write_gap_p99_ms=.. acked_lost=.. split_brain_ms=..}: gaps as
   * percentiles over the completed runs, acked_lost summed, split_brain_ms the worst run; runs that did not settle
   * are counted apart ({@code failed_runs}), never averaged in.
   */
  static String format(String kind, List<FaultRun.Result> results, boolean durability) {
    List<FaultRun.Result> done = results.stream().filter(FaultRun.Result::completed).toList();
    List<Long> gaps = done.stream().map(FaultRun.Result::gapMillis).toList();
    String figures = gaps.isEmpty()
        ? "write_gap_p50_ms=NA write_gap_p99_ms=NA"
        : "write_gap_p50_ms=" + RunAnalysis.percentile(gaps, 50)
            + " write_gap_p99_ms=" + RunAnalysis.percentile(gaps, 99);
    String line = "failover: kind=" + kind + " runs=" + done.size() + " " + figures
        + " acked_lost=" + done.stream().mapToLong(FaultRun.Result::ackedLost).sum()
        + " split_brain_ms=" + done.stream().mapToLong(FaultRun.Result::splitBrainMillis).max().orElse(0);
    long failed = results.size() - done.size();
    return (durability ? line + " durability=on" : line) + (failed > 0 ? " failed_runs=" + failed : "");
  }
}
