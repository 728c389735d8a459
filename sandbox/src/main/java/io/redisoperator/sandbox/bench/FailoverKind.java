package io.redisoperator.sandbox.bench;

/** The faults the benchmark repeats, named as in its output. */
enum FailoverKind {
  POD_KILL("pod-kill"),
  REDIS_KILL("redis-kill"),
  PARTITION("partition"),
  SWITCHOVER("switchover");

  private final String label;

  FailoverKind(String label) {
    this.label = label;
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
