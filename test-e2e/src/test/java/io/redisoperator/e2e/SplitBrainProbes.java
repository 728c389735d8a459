package io.redisoperator.e2e;

import io.redisoperator.protocol.agent.AgentApi;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link PodWriteProbe} on every data pod, the initial primary's apart from the others': the
 * scenarios' split-brain check, that the old primary acknowledged no write once another node took
 * one.
 */
final class SplitBrainProbes implements AutoCloseable {
  private final String oldPrimary;
  private final PodWriteProbe old;
  private final List<PodWriteProbe> others = new ArrayList<>();

  SplitBrainProbes(ClusterEnvironment env, RedisClusterFixture cluster, String oldPrimary) {
    this.oldPrimary = oldPrimary;
    PodWriteProbe oldProbe = null;
    for (String pod : cluster.pods().keySet()) {
      PodWriteProbe probe =
          new PodWriteProbe(cluster, env.podAddress(cluster.podIp(pod), AgentApi.REDIS_PORT), pod);
      if (pod.equals(oldPrimary)) {
        oldProbe = probe;
      } else {
        others.add(probe);
      }
    }
    this.old = oldProbe;
  }

  /** System.nanoTime of the old primary's latest acknowledged write. */
  long oldLastAckNanos() {
    return old.lastAckNanos();
  }

  /** System.nanoTime of the first write another node acknowledged; Long.MAX_VALUE if none. */
  long newFirstAckNanos() {
    return others.stream().mapToLong(PodWriteProbe::firstAckNanos).min().orElse(Long.MAX_VALUE);
  }

  /**
   * Stops the probes and adds to {@code problems} a split brain, and with {@code newWritesRequired}
   * the absence of any write on another node.
   */
  void stopAndCheck(List<String> problems, boolean newWritesRequired) {
    close();
    long newWritable = newFirstAckNanos();
    if (newWritable == Long.MAX_VALUE) {
      if (newWritesRequired) {
        problems.add("no replica ever took a write on its own address");
      }
    } else if (old.lastAckNanos() >= newWritable) {
      problems.add(
          "split brain: "
              + oldPrimary
              + " acknowledged a write "
              + (old.lastAckNanos() - newWritable) / 1_000_000
              + " ms after another node took writes");
    }
  }

  @Override
  public void close() {
    old.close();
    others.forEach(PodWriteProbe::close);
  }
}
