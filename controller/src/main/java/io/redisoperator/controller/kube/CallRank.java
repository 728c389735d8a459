package io.redisoperator.controller.kube;

import java.util.Comparator;

/**
 * The order in which API calls waiting for a thread of the {@link ApiExecutor} go: by rank, lower
 * first, then in the order they arrived. A cluster's calls carry its seniority (the order the
 * controller took the clusters up, {@link KubeGateway#ranked}), so when a thousand clusters are
 * created at once, the clusters taken up first finish their start-up (the next pass's RoleBinding,
 * the replicas, the Healthy status) before the later ones' first creates, instead of every
 * cluster's next step waiting behind every other cluster's previous one (a FIFO queue held a
 * cluster's replica budget 142 s at N=1000, and with it its Healthy status). Calls of no cluster
 * (backups, the Lease) rank 0, ahead of every cluster's.
 *
 * @param rank lower goes first
 * @param arrival the order it was queued in, among calls of one rank
 */
record CallRank(long rank, long arrival) implements Comparable<CallRank> {
  /** What calls of no cluster carry. */
  static final long UNRANKED = 0;

  private static final Comparator<CallRank> ORDER =
      Comparator.comparingLong(CallRank::rank).thenComparingLong(CallRank::arrival);

  @Override
  public int compareTo(CallRank other) {
    return ORDER.compare(this, other);
  }
}
