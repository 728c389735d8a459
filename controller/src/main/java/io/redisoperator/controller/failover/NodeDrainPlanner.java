package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A cordoned node is about to be drained, and the primary's PodDisruptionBudget lets no eviction
 * take the primary: the primary moves first, by switchover, to the best replica on a node that is
 * not cordoned; the drain then evicts the former primary as a replica. With nobody to hand over to
 * (one instance, or every replica unfit or on a cordoned node) the primary stays and the drain
 * waits, which the caller reports.
 */
public final class NodeDrainPlanner {
  private NodeDrainPlanner() {}

  /** What to do about the primary's node. */
  public sealed interface Decision permits Stay, HandOver, PollCandidate, Blocked {}

  /** The primary's node is not cordoned (or unknown): nothing to do. */
  public record Stay() implements Decision {}

  /** Switch over to {@code plan.target()}. */
  public record HandOver(String node, SwitchoverPlan plan) implements Decision {}

  /**
   * The primary's node is cordoned and the best replica off it looks too far behind only as of an
   * answer older than the primary's (a long-polled replica): poll {@code pod} now and decide on its
   * answer, without reporting the drain blocked.
   */
  public record PollCandidate(String node, String pod) implements Decision {}

  /** The primary's node is cordoned and no replica can take over now; {@code reason} says why. */
  public record Blocked(String node, String reason) implements Decision {}

  /**
   * @param nodeOfPod the node each pod of the cluster is bound to (pods not yet scheduled are
   *     absent)
   * @param cordoned the nodes marked unschedulable
   */
  public static Decision plan(
      ClusterObservation observation, Map<String, String> nodeOfPod, Set<String> cordoned) {
    Optional<String> primary = observation.currentPrimary();
    if (primary.isEmpty()) {
      return new Stay();
    }
    String node = nodeOfPod.get(primary.get());
    if (node == null || !cordoned.contains(node)) {
      return new Stay();
    }
    String why = "no replica";
    for (Candidate candidate : CandidateSelector.ranked(observation, primary.get())) {
      String candidateNode = nodeOfPod.get(candidate.podName());
      if (candidateNode == null || cordoned.contains(candidateNode)) {
        why = candidate.podName() + " is on cordoned node " + candidateNode;
        continue;
      }
      SwitchoverPlanner.Decision decision =
          SwitchoverPlanner.plan(observation, candidate.podName());
      if (decision instanceof SwitchoverPlanner.Proceed proceed) {
        return new HandOver(node, proceed.plan());
      }
      if (decision instanceof SwitchoverPlanner.PollTargetFirst poll) {
        // The candidates are ranked: the best one's fresh answer decides, not the next one's.
        return new PollCandidate(node, poll.target());
      }
      if (decision instanceof SwitchoverPlanner.Refuse refuse) {
        why = refuse.reason();
      }
    }
    return new Blocked(
        node,
        "primary "
            + primary.get()
            + " is on cordoned node "
            + node
            + " and no replica on another node can take over ("
            + why
            + "); the drain waits for the primary's "
            + "PodDisruptionBudget");
  }
}
