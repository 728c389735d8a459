package io.redisoperator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchLineTest {
  @Test
  void percentilesOverCompletedRunsLostSummedSplitBrainWorst() {
    List<FaultRun.Result> results = List.of(
        new FaultRun.Result(true, 900, 0, 0),
        new FaultRun.Result(true, 1500, 3, 120),
        new FaultRun.Result(true, 1100, 2, 40),
        new FaultRun.Result(false, 0, 0, 0));
    assertEquals("failover: kind=partition runs=3 write_gap_p50_ms=1100 write_gap_p99_ms=1500 acked_lost=5"
        + " split_brain_ms=120 failed_runs=1", BenchLine.format("partition", results, false));
  }

  @Test
  void durabilityIsMarkedAndNoCompletedRunGivesNoFigures() {
    assertEquals("failover: kind=switchover runs=0 write_gap_p50_ms=NA write_gap_p99_ms=NA acked_lost=0"
        + " split_brain_ms=0 durability=on failed_runs=1",
        BenchLine.format("switchover", List.of(new FaultRun.Result(false, 0, 0, 0)), true));
  }
}
