package io.redisoperator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunAnalysisTest {
  private static final long MS = 1_000_000L;

  private static WriteLog.Ack ack(long millis) {
    return new WriteLog.Ack(millis * MS, "n", "r", "k" + millis, "v");
  }

  /**
   * Node {@code node} accepting a write every 10 ms from {@code fromMillis} to {@code toMillis}.
   */
  private static List<WriteLog.Accepted> accepting(String node, long fromMillis, long toMillis) {
    List<WriteLog.Accepted> list = new ArrayList<>();
    for (long t = fromMillis; t <= toMillis; t += 10) {
      list.add(new WriteLog.Accepted(t * MS, node));
    }
    return list;
  }

  @Test
  void theGapIsTheLongestSilenceIncludingTheWindowEdges() {
    List<WriteLog.Ack> acks = List.of(ack(100), ack(300), ack(1300), ack(1350));
    assertEquals(1000, RunAnalysis.maxGapMillis(acks, 0, 1400 * MS));
    assertEquals(1650, RunAnalysis.maxGapMillis(acks, 0, 3000 * MS));
    assertEquals(500, RunAnalysis.maxGapMillis(List.of(), 0, 500 * MS));
  }

  @Test
  void aCleanHandoverIsNoSplitBrain() {
    List<WriteLog.Accepted> accepted = new ArrayList<>(accepting("a", 0, 1000));
    accepted.addAll(accepting("b", 1500, 3000));
    assertEquals(0, RunAnalysis.splitBrainMillis(accepted, 0, 4000 * MS));
  }

  @Test
  void twoNodesAcceptingTogetherIsSplitBrainForTheOverlap() {
    List<WriteLog.Accepted> accepted = new ArrayList<>(accepting("a", 0, 2000));
    accepted.addAll(accepting("b", 1500, 3000));
    assertEquals(500, RunAnalysis.splitBrainMillis(accepted, 0, 4000 * MS));
  }

  @Test
  void pausesLongerThanAStretchSplitANodesAcceptance() {
    List<WriteLog.Accepted> accepted = new ArrayList<>(accepting("a", 0, 1000));
    accepted.addAll(accepting("a", 2000, 2500));
    accepted.addAll(accepting("b", 1200, 1800));
    assertEquals(0, RunAnalysis.splitBrainMillis(accepted, 0, 4000 * MS));
  }

  @Test
  void percentilesAreNearestRank() {
    List<Long> values = List.of(5L, 1L, 4L, 2L, 3L);
    assertEquals(3, RunAnalysis.percentile(values, 50));
    assertEquals(5, RunAnalysis.percentile(values, 99));
    assertEquals(1, RunAnalysis.percentile(values, 1));
  }

  @Test
  void theLossWindowIsTheLostWritesAtTheCalmRate() {
    long ms = 1_000_000L;
    List<WriteLog.Ack> acks = new java.util.ArrayList<>();
    for (int i = 0; i < 500; i++) {
      acks.add(new WriteLog.Ack(i * 2 * ms, "n", "r", "k" + i, "v"));
    }
    assertEquals(0, RunAnalysis.lossWindowMillis(0, acks, 0, 1000 * ms));
    assertEquals(
        20,
        RunAnalysis.lossWindowMillis(10, acks, 0, 1000 * ms),
        "500 acks per second: 10 lost = 20 ms");
    assertEquals(-1, RunAnalysis.lossWindowMillis(3, List.of(), 0, 1000 * ms));
  }
}
