package io.redisoperator.controller.failover;

import static io.redisoperator.controller.failover.Fixture.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.controller.observation.PollFailure;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateSelectorTest {

  /** c-0 primary gone silent; c-1..c-4 replicas with the given offsets, links down. */
  private static Fixture replicas(long... offsets) {
    Fixture fixture =
        Fixture.healthy(offsets.length + 1, 1000)
            .change(0, i -> Fixture.silent(i, 3, PollFailure.TIMEOUT, Fixture.NOW.minusSeconds(5)));
    for (int n = 1; n <= offsets.length; n++) {
      long offset = offsets[n - 1];
      fixture.change(n, i -> Fixture.reporting(i, s -> s.offset(offset).master(ip(0), false, -1L)));
    }
    return fixture;
  }

  private static String selected(Fixture fixture) {
    return CandidateSelector.select(fixture.observation(), "c-0").orElseThrow().podName();
  }

  @Test
  void highestOffsetWins() {
    assertEquals("c-3", selected(replicas(900, 950, 990, 100)));
  }

  @Test
  void onEqualOffsetsTheLinkMostRecentlyUpWins() {
    var fixture =
        replicas(990, 990, 990)
            .change(3, i -> Fixture.reporting(i, s -> s.master(ip(0), true, 3L)))
            .change(2, i -> Fixture.reporting(i, s -> s.master(ip(0), true, 1L)));
    assertEquals("c-2", selected(fixture));
  }

  @Test
  void onFullTiesTheLowestOrdinalWins() {
    assertEquals("c-1", selected(replicas(990, 990, 990)));
  }

  @Test
  void fencedUnreachableAndStoppedReplicasAreNeverChosen() {
    var fixture =
        replicas(999, 998, 997, 996, 10)
            .status(s -> s.getFencedInstances().add("c-1"))
            .userFenced("c-2")
            .change(3, i -> Fixture.silent(i, 1, PollFailure.TIMEOUT, Fixture.NOW))
            .change(4, i -> Fixture.phase(i, PodPhase.TERMINATING));
    assertEquals(
        List.of("c-5"),
        CandidateSelector.ranked(fixture.observation(), "c-0").stream()
            .map(Candidate::podName)
            .toList());
  }

  @Test
  void noReplicaIsChosenWhileAHumanFencesEveryInstance() {
    assertEquals(
        List.of(),
        CandidateSelector.ranked(replicas(999, 998).userFenced("*").observation(), "c-0"));
  }

  @Test
  void replicasOfAnotherHistoryAreNeverChosen() {
    var fixture =
        replicas(500, 2000)
            .change(2, i -> Fixture.reporting(i, s -> s.replId(Fixture.OTHER_REPLID)));
    assertEquals("c-1", selected(fixture));
  }

  @Test
  void theCandidateCarriesTheGuardOfItsPromotion() {
    Candidate candidate =
        CandidateSelector.select(replicas(700, 800).observation(), "c-0").orElseThrow();
    assertEquals(new Candidate("c-2", ip(2), 2, Fixture.REPLID, 800), candidate);
    assertEquals(Fixture.REPLID, candidate.promoteRequest().expectedReplId());
    assertEquals(800L, candidate.promoteRequest().minOffset());
  }

  @Test
  void withoutAnyReportFromTheOldPrimaryItsRecordedHistoryIsUsed() {
    InstanceStatusEntry entry = new InstanceStatusEntry();
    entry.setReplicationId(Fixture.OTHER_REPLID);
    var fixture =
        replicas(500, 100)
            .remove(0)
            .status(s -> s.getInstancesStatus().put("c-0", entry))
            .change(2, i -> Fixture.reporting(i, s -> s.replId(Fixture.OTHER_REPLID)));
    assertEquals("c-2", selected(fixture));
  }

  @Test
  void withoutAnyRecordOfTheOldPrimaryTheMajorityHistoryIsUsed() {
    var fixture =
        replicas(100, 200, 5000)
            .remove(0)
            .change(3, i -> Fixture.reporting(i, s -> s.replId(Fixture.OTHER_REPLID)));
    assertEquals("c-2", selected(fixture));
  }

  @Test
  void noEligibleReplicaMeansNoCandidate() {
    var fixture = replicas(100).change(1, i -> Fixture.reporting(i, s -> s.redisUp(false)));
    assertTrue(CandidateSelector.select(fixture.observation(), "c-0").isEmpty());
  }
}
