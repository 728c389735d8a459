package io.redisoperator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchLineTest {
  @Test
  void percentilesOverCompletedRunsLostSummedSplitBrainAndLossWindowWorst() {
    List<FaultRun.Result> results =
        List.of(
            new FaultRun.Result(true, 900, 0, 0, 0),
            new FaultRun.Result(true, 1500, 3, 120, 6),
            new FaultRun.Result(true, 1100, 2, 40, 4),
            new FaultRun.Result(false, 0, 0, 0, 0));
    assertEquals(
        "failover: kind=partition runs=3 write_gap_p50_ms=1100 write_gap_p99_ms=1500 acked_lost=5"
            + " loss_window_ms=6 split_brain_ms=120 failed_runs=1",
        BenchLine.format("partition", results, Optional.empty(), true, Optional.empty()));
  }

  @Test
  void durabilityIsMarkedAndNoCompletedRunGivesNoFigures() {
    assertEquals(
        "failover: kind=switchover runs=0 write_gap_p50_ms=NA write_gap_p99_ms=NA acked_lost=0"
            + " loss_window_ms=0 split_brain_ms=0 durability=on failed_runs=1",
        BenchLine.format(
            "switchover",
            List.of(new FaultRun.Result(false, 0, 0, 0, 0)),
            Optional.of("on"),
            true,
            Optional.empty()));
  }

  @Test
  void aSpecOnlyDurabilityRunIsToldApartFromOneWhoseWriterWaits() {
    assertEquals(
        "failover: kind=partition runs=1 write_gap_p50_ms=900 write_gap_p99_ms=900 acked_lost=0"
            + " loss_window_ms=0 split_brain_ms=0 durability=spec-only",
        BenchLine.format(
            "partition",
            List.of(new FaultRun.Result(true, 900, 0, 0, 0)),
            Optional.of("spec-only"),
            true,
            Optional.empty()));
  }

  @Test
  void killKindsAreComparedWithTheTunedAnchorAndTheAnchorHasNoSplitBrainFigure() {
    List<FaultRun.Result> ours =
        List.of(new FaultRun.Result(true, 800, 0, 0, 0), new FaultRun.Result(true, 1200, 0, 0, 0));
    assertEquals(
        "failover: kind=sentinel-kill runs=2 write_gap_p50_ms=800 write_gap_p99_ms=1200 acked_lost=0"
            + " loss_window_ms=0 split_brain_ms=0 ratio_to_tuned_sentinel=0.50",
        BenchLine.format("sentinel-kill", ours, Optional.empty(), true, Optional.of(2400L)));
    assertEquals(
        "failover: kind=anchor-sentinel-1000 runs=1 write_gap_p50_ms=2400 write_gap_p99_ms=2400 acked_lost=0"
            + " loss_window_ms=0",
        BenchLine.format(
            "anchor-sentinel-1000",
            List.of(new FaultRun.Result(true, 2400, 0, 0, 0)),
            Optional.empty(),
            false,
            Optional.empty()));
  }
}
