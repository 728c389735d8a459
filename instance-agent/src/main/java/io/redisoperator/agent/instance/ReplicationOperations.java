package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.redis.RedisCommands;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which primary the instance follows: on request, and when Redis changed role on its own. */
public final class ReplicationOperations {
  private static final Logger log = LoggerFactory.getLogger(ReplicationOperations.class);

  private final RedisCommands redis;
  private final StateApplier applier;

  ReplicationOperations(RedisCommands redis, StateApplier applier) {
    this.redis = redis;
    this.applier = applier;
  }

  public CompletionStage<Transition> replicate(InstanceState s, Endpoint primary) {
    InstanceState next = s.withReplicaOf(primary).withHold(false);
    return redis
        .replicaOf(primary.host(), primary.port())
        .thenCompose(
            x -> {
              log.info("now replicating from {}", primary);
              return applier.commit(next, "replicating from " + primary);
            });
  }

  /** Redis changed role on its own (a FAILOVER handed it the primary role): the conf follows it. */
  public CompletionStage<Transition> adoptRole(InstanceState s, Endpoint replicaOf) {
    InstanceState next = s.withReplicaOf(replicaOf);
    return applier.persist(next).thenApply(x -> new Transition(next, Outcome.ok("adopted")));
  }
}
