package io.redisoperator.controller.failover;

import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.observation.PodPhase;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.InstanceStatusEntry;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Picks the replica that loses the least data: among running, answering, unfenced replicas of the
 * old primary's replication history, the highest offset, then the link most recently up, then the
 * lowest ordinal.
 */
public final class CandidateSelector {
  private CandidateSelector() {}

  /** Best first: most data, freshest link, lowest ordinal (a stable, predictable tie-break). */
  static final Comparator<InstanceObservation> PREFERENCE =
      Comparator.comparingLong(InstanceObservation::replicationOffsetOrZero)
          .reversed()
          .thenComparing(CandidateSelector::linkUp, Comparator.reverseOrder())
          .thenComparingLong(CandidateSelector::secondsSinceMasterIo)
          .thenComparingInt(InstanceObservation::ordinal);

  public static Optional<Candidate> select(ClusterObservation observation, String oldPrimary) {
    return ranked(observation, oldPrimary).stream().findFirst();
  }

  /** Every eligible replica, best first: the next one is the fallback when a promotion fails. */
  public static List<Candidate> ranked(ClusterObservation observation, String oldPrimary) {
    Set<String> excluded = excluded(observation, oldPrimary);
    List<InstanceObservation> eligible =
        observation.byOrdinal().stream()
            .filter(i -> !excluded.contains(i.podName()))
            .filter(i -> i.podPhase() == PodPhase.RUNNING)
            .filter(InstanceObservation::answering)
            .filter(i -> i.lastStatus().role() == InstanceRole.REPLICA)
            .filter(i -> i.lastStatus().masterReplId() != null)
            .toList();
    Optional<String> history = history(observation, oldPrimary, eligible);
    return eligible.stream()
        .filter(i -> history.map(h -> h.equals(i.lastStatus().masterReplId())).orElse(true))
        .sorted(PREFERENCE)
        .map(CandidateSelector::toCandidate)
        .toList();
  }

  /** The old primary, operator-fenced and user-fenced pods never become primary. */
  private static Set<String> excluded(ClusterObservation observation, String oldPrimary) {
    Set<String> excluded = new HashSet<>();
    observation.instances().keySet().stream().filter(observation::fenced).forEach(excluded::add);
    excluded.add(oldPrimary);
    return excluded;
  }

  /**
   * The replication id of the old primary's history: what it reported last, else what the operator
   * recorded for it, else the one most eligible replicas share (ties: the one with the highest
   * offset).
   */
  static Optional<String> history(
      ClusterObservation observation, String oldPrimary, List<InstanceObservation> eligible) {
    Optional<String> reported =
        observation
            .instance(oldPrimary)
            .filter(i -> i.lastStatus() != null && i.lastStatus().role() == InstanceRole.PRIMARY)
            .map(i -> i.lastStatus().masterReplId());
    if (reported.isPresent()) {
      return reported;
    }
    Optional<String> recorded = recordedReplId(observation, oldPrimary);
    if (recorded.isPresent()) {
      return recorded;
    }
    Map<String, Long> votes =
        eligible.stream()
            .collect(
                Collectors.groupingBy(i -> i.lastStatus().masterReplId(), Collectors.counting()));
    Map<String, Long> bestOffset =
        eligible.stream()
            .collect(
                Collectors.toMap(
                    i -> i.lastStatus().masterReplId(),
                    InstanceObservation::replicationOffsetOrZero,
                    Math::max));
    return votes.keySet().stream()
        .max(
            Comparator.comparing((Function<String, Long>) votes::get)
                .thenComparing(bestOffset::get));
  }

  private static Optional<String> recordedReplId(ClusterObservation observation, String pod) {
    if (observation.cluster().getStatus() == null) {
      return Optional.empty();
    }
    InstanceStatusEntry entry = observation.cluster().getStatus().getInstancesStatus().get(pod);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.getReplicationId());
  }

  private static Candidate toCandidate(InstanceObservation instance) {
    return new Candidate(
        instance.podName(),
        instance.podIP(),
        instance.ordinal(),
        instance.lastStatus().masterReplId(),
        instance.replicationOffsetOrZero());
  }

  private static boolean linkUp(InstanceObservation instance) {
    return Boolean.TRUE.equals(instance.lastStatus().masterLinkUp());
  }

  /** Unknown (-1 or absent) sorts last. */
  private static long secondsSinceMasterIo(InstanceObservation instance) {
    Long seconds = instance.lastStatus().masterLastIoSecondsAgo();
    return seconds == null || seconds < 0 ? Long.MAX_VALUE : seconds;
  }
}
