package io.redisoperator.bench;

/** The faults the benchmark repeats, named as in its output. */
enum FailoverKind {
  POD_KILL("pod-kill", false),
  REDIS_KILL("redis-kill", false),
  PARTITION("partition", true),
  SWITCHOVER("switchover", true);

  private final String label;
  private final boolean expectsNewPrimary;

  /**
   * @param expectsNewPrimary the fault is over only once another pod is primary (a killed process may come back as
   *     primary before the controller acts, so the kills do not require one)
   */
  FailoverKind(String label, boolean expectsNewPrimary) {
    this.label = label;
    this.expectsNewPrimary = expectsNewPrimary;
  }

  boolean expectsNewPrimary() {
    return expectsNewPrimary;
  }

  String label() {
    return label;
  }

  static FailoverKind parse(String label) {
    for (FailoverKind kind : values()) {
      if (kind.label.equals(label.trim())) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown kind '" + label + "' (pod-kill, redis-kill, partition, switchover)");
  }
}
