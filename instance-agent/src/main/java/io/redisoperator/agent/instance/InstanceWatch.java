package io.redisoperator.agent.instance;

import io.redisoperator.agent.kube.ClusterView;

/**
 * What the {@link InstanceActor}'s checks remember between ticks (when contact is counted from,
 * when this instance became the primary, the API read in flight, the last writability reassert) and
 * the facts its pure planners decide from, gathered from the {@link StatusBoard} on its one clock.
 * Not thread-safe: the actor's alone.
 */
final class InstanceWatch {
  private final StatusBoard board;
  private final String podName;
  private final int redisPort;

  private boolean probing;
  private long lastProbeStartMillis;
  private long contactGraceFromMillis;
  private long lastReassertMillis;

  /**
   * When this instance last became a writable primary (boot, promote, or a FAILOVER handing it the
   * role).
   */
  private long becamePrimaryAtMillis;

  InstanceWatch(StatusBoard board, String podName, int redisPort) {
    this.board = board;
    this.podName = podName;
    this.redisPort = redisPort;
    this.contactGraceFromMillis = board.nowMillis();
  }

  /** The controller just made (or confirmed) this the primary, or the boot settled: contact. */
  void contactNow() {
    contactGraceFromMillis = board.nowMillis();
  }

  void becamePrimaryNow() {
    becamePrimaryAtMillis = board.nowMillis();
  }

  /** When the latest INFO was sent; 0 before the first. */
  long infoIssuedAtMillis() {
    StatusBoard.Snapshot snapshot = board.snapshot();
    return snapshot == null ? 0 : snapshot.issuedAtMillis();
  }

  /**
   * The plan of the check at {@code now}; an API read it asks for counts as started, a reassert as
   * done.
   */
  TickPlanner.Plan atCheck(
      long now, InstanceState state, boolean operationRunning, long lastOpFinishedMillis) {
    TickPlanner.Plan plan =
        TickPlanner.atCheck(
            new TickPlanner.Facts(
                now,
                state,
                board.liveInfo(),
                infoIssuedAtMillis(),
                board.lastReplicaAckMillis(),
                board.lastApiContactMillis(),
                board.lastControllerContactMillis(),
                contactGraceFromMillis,
                board.redisRunning(),
                board.appliedWritable(),
                operationRunning,
                lastOpFinishedMillis,
                probing,
                lastProbeStartMillis,
                lastReassertMillis));
    if (plan.readApi()) {
      probing = true;
      lastProbeStartMillis = now;
    }
    if (plan.reassertWritability()) {
      lastReassertMillis = now;
    }
    return plan;
  }

  /** The API read started at {@code startedAtMillis} failed: the next check may start another. */
  void readFailed() {
    probing = false;
  }

  /**
   * The plan after an API read that returned {@code view}; contact it proves is recorded, dated by
   * the read's start (see {@link ApiReadPlanner}).
   */
  ApiReadPlanner.Plan afterRead(InstanceState state, ClusterView view, long startedAtMillis) {
    probing = false;
    ApiReadPlanner.Plan plan =
        ApiReadPlanner.afterRead(
            new ApiReadPlanner.Facts(
                podName,
                redisPort,
                state,
                view,
                startedAtMillis,
                board.nowMillis(),
                becamePrimaryAtMillis,
                board.redisRunning(),
                board.lastUnwritableReportMillis()));
    if (plan.contact()) {
      board.recordApiContact(startedAtMillis);
    }
    return plan;
  }
}
