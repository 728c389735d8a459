package io.redisoperator.bench;

/** The faults the benchmark repeats, named as in its output, and what each runs against. */
enum FailoverKind {
  POD_KILL("pod-kill", false, Target.LEADER, true),
  REDIS_KILL("redis-kill", false, Target.LEADER, true),
  PARTITION("partition", true, Target.LEADER, false),
  SWITCHOVER("switchover", true, Target.LEADER, false),
  /**
   * The primary's redis-server SIGKILLed, as for the anchor; the writer discovers the primary
   * through Sentinel.
   */
  SENTINEL_KILL("sentinel-kill", false, Target.SENTINEL, true),
  SENTINEL_SWITCHOVER("sentinel-switchover", true, Target.SENTINEL, false),
  /** Plain Redis Sentinel with its default-like detection: the anchor users compare with. */
  ANCHOR_SENTINEL_5000("anchor-sentinel-5000", true, Target.ANCHOR, false),
  /**
   * Plain Redis Sentinel tuned for fast detection: {@code ratio_to_tuned_sentinel} divides by its
   * p99.
   */
  ANCHOR_SENTINEL_1000("anchor-sentinel-1000", true, Target.ANCHOR, false);

  /** What a kind's writer and fault act on. */
  enum Target {
    /** A standalone-mode cluster, written through its -leader Service. */
    LEADER,
    /** A sentinel-mode cluster, written to the primary its -sentinel Service names. */
    SENTINEL,
    /** Three redis-servers and three redis-sentinels, no operator ({@link AnchorSentinel}). */
    ANCHOR
  }

  private final String label;
  private final boolean expectsNewPrimary;
  private final Target target;
  private final boolean kill;

  /**
   * @param expectsNewPrimary the fault is over only once another pod is primary (a killed process
   *     may come back as primary before the controller acts, so the kills do not require one)
   * @param kill an unplanned kill of the primary, compared with the tuned anchor ({@code
   *     ratio_to_tuned_sentinel})
   */
  FailoverKind(String label, boolean expectsNewPrimary, Target target, boolean kill) {
    this.label = label;
    this.expectsNewPrimary = expectsNewPrimary;
    this.target = target;
    this.kill = kill;
  }

  boolean expectsNewPrimary() {
    return expectsNewPrimary;
  }

  String label() {
    return label;
  }

  Target target() {
    return target;
  }

  boolean kill() {
    return kill;
  }

  /** The anchor's {@code down-after-milliseconds}, from its label. */
  int downAfterMillis() {
    if (target != Target.ANCHOR) {
      throw new IllegalStateException(label + " is not an anchor kind");
    }
    return Integer.parseInt(label.substring(label.lastIndexOf('-') + 1));
  }

  static FailoverKind parse(String label) {
    for (FailoverKind kind : values()) {
      if (kind.label.equals(label.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown kind '"
            + label
            + "' (pod-kill, redis-kill, partition, switchover, "
            + "sentinel-kill, sentinel-switchover, anchor-sentinel-5000, anchor-sentinel-1000)");
  }
}
