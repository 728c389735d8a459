package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.agent.kube.BootGuard;
import io.redisoperator.agent.kube.BootPlan;
import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.protocol.agent.MonotonicClock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The role an instance starts in: the boot guard before every redis-server start, and its
 * resolution once a later API answer can decide what the guard could not.
 */
public final class BootOperations {
  private static final Logger log = LoggerFactory.getLogger(BootOperations.class);

  private final InstanceOperations.Layout layout;
  private final RedisCommands redis;
  private final StateApplier applier;
  private final MonotonicClock clock;

  BootOperations(
      InstanceOperations.Layout layout,
      RedisCommands redis,
      StateApplier applier,
      MonotonicClock clock) {
    this.layout = layout;
    this.redis = redis;
    this.applier = applier;
    this.clock = clock;
  }

  /**
   * Runs the boot guard and renders the conf the next redis-server start uses.
   *
   * @param mayTurnWritable see {@link BootGuard#decide(String, int, Optional, Endpoint, int,
   *     boolean)}
   */
  public CompletionStage<Transition> prepareStart(
      InstanceState s, Optional<ClusterView> view, boolean mayTurnWritable) {
    if (s.password() == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "the replication password file is missing: Redis is not started without it"));
    }
    BootPlan plan =
        BootGuard.decide(
            layout.podName(),
            layout.ordinal(),
            view,
            s.replicaOf(),
            layout.redisPort(),
            mayTurnWritable);
    FenceMarker fence = s.fence();
    if (fence == null && plan.fencedByStatus()) {
      fence =
          new FenceMarker("listed in status.fencedInstances", false, clock.instant().toString());
    }
    InstanceState next = s.withReplicaOf(plan.replicaOf()).withHold(plan.hold()).withFence(fence);
    log.info(
        "boot guard: {} -> {}, writable={}",
        plan.reason(),
        next.replicaOf() == null ? "primary" : "replica of " + next.replicaOf(),
        next.writable());
    return applier
        .persist(next)
        .thenApply(x -> new Transition(next, Outcome.ok(layout.confFile())));
  }

  /**
   * After the boot guard could not decide, a later API answer can: follow the recorded primary, or
   * start writing.
   */
  public CompletionStage<Transition> applyBootPlan(
      InstanceState s, ClusterView view, boolean mayTurnWritable) {
    BootPlan plan =
        BootGuard.decide(
            layout.podName(),
            layout.ordinal(),
            Optional.of(view),
            s.replicaOf(),
            layout.redisPort(),
            mayTurnWritable);
    if (plan.hold()) {
      return StateApplier.done(s, Outcome.ok("still waiting"));
    }
    log.info("boot guard resolved: {}", plan.reason());
    InstanceState next = s.withHold(false).withReplicaOf(plan.replicaOf());
    CompletionStage<?> role =
        plan.replicaOf() == null
            ? CompletableFuture.completedFuture(null)
            : redis.replicaOf(plan.replicaOf().host(), plan.replicaOf().port());
    return role.thenCompose(x -> applier.commit(next, "boot guard resolved"));
  }
}
