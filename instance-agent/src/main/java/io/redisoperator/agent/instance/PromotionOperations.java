package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.config.RedisTlsFiles;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.MonotonicClock;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Taking and handing over the primary role: the guarded promotion the controller asks of a replica,
 * and the switchover a primary hands to one of its replicas.
 */
public final class PromotionOperations {
  private static final Logger log = LoggerFactory.getLogger(PromotionOperations.class);

  /** Command timeout on the direct connection to a switchover target. */
  private static final Duration PEER_TIMEOUT = Duration.ofMillis(500);

  private final InstanceOperations.Layout layout;
  private final RedisCommands redis;
  private final StateApplier applier;
  private final StatusBoard board;
  private final AtomicReference<String> redisPassword;
  private final MonotonicClock clock;

  PromotionOperations(
      InstanceOperations.Layout layout,
      RedisCommands redis,
      StateApplier applier,
      StatusBoard board,
      AtomicReference<String> redisPassword,
      MonotonicClock clock) {
    this.layout = layout;
    this.redis = redis;
    this.applier = applier;
    this.board = board;
    this.redisPassword = redisPassword;
    this.clock = clock;
  }

  /**
   * @param executeByNanos ({@link MonotonicClock#nanos()}) the caller's deadline: past it the
   *     promotion is refused with 408 rather than started, since the caller may be promoting
   *     another replica by then
   */
  public CompletionStage<Transition> promote(
      InstanceState s, PromoteRequest request, long executeByNanos) {
    return redis
        .infoReplication()
        .thenCompose(
            info -> {
              Optional<String> refusal = promoteGuardRefusal(info, request);
              if (refusal.isPresent()) {
                log.warn("promotion refused: {}", refusal.get());
                return StateApplier.done(s, Outcome.conflict(refusal.get()));
              }
              if (clock.nanos() - executeByNanos >= 0) {
                log.warn("promotion refused: the caller's deadline passed before REPLICAOF NO ONE");
                return StateApplier.done(
                    s,
                    Outcome.expired(
                        "the promotion's deadline passed before it could run; not promoted"));
              }
              InstanceState next = s.withReplicaOf(null).withHold(false);
              CompletionStage<?> promoted =
                  info.isPrimary()
                      ? CompletableFuture.completedFuture(null)
                      : redis.replicaOfNoOne();
              return promoted.thenCompose(
                  x -> {
                    log.info(
                        "promoted to primary at offset {} (fenced={})",
                        info.replicationOffset(),
                        !next.writable());
                    return applier.commit(next, "promoted");
                  });
            });
  }

  /** Why a guarded promotion must not happen, if it must not. */
  static Optional<String> promoteGuardRefusal(RedisInfo info, PromoteRequest request) {
    if (request.expectedReplId() != null && !request.expectedReplId().equals(info.masterReplId())) {
      return Optional.of(
          "replication id is " + info.masterReplId() + ", expected " + request.expectedReplId());
    }
    Long offset = info.replicationOffset();
    if (request.minOffset() != null && (offset == null || offset < request.minOffset())) {
      return Optional.of(
          "replication offset " + offset + " is below the required " + request.minOffset());
    }
    return Optional.empty();
  }

  public CompletionStage<Transition> switchover(
      InstanceState s, Endpoint target, long timeoutMillis) {
    return redis
        .infoReplication()
        .thenCompose(
            info -> {
              if (!info.isPrimary()) {
                return StateApplier.done(s, Outcome.conflict("this instance is not a primary"));
              }
              if (!s.writable()) {
                return StateApplier.done(
                    s,
                    Outcome.conflict(
                        "this primary is fenced; unfence it or promote the target directly"));
              }
              boolean targetOnline =
                  info.replicas().stream()
                      .anyMatch(
                          r ->
                              r.ip().equals(target.host())
                                  && r.port() == target.port()
                                  && "online".equals(r.state()));
              if (!targetOnline) {
                return StateApplier.done(
                    s,
                    Outcome.conflict(
                        "target " + target + " is not an online replica of this primary"));
              }
              log.info("switchover to {} requested (timeout {} ms)", target, timeoutMillis);
              RedisCommands peer =
                  new RedisCommands(
                      target.host(),
                      target.port(),
                      OperatorUsers.AGENT,
                      redisPassword::get,
                      PEER_TIMEOUT,
                      layout.podIp(),
                      s.settings() != null && s.settings().tlsEnabled()
                          ? RedisTlsFiles.caFile(layout.redisTlsDir())
                          : null);
              return new SwitchoverHandoff(redis, peer, target, board::nowMillis)
                  .run(timeoutMillis)
                  // Failing before writes were paused (e.g. the target does not answer) changes
                  // nothing.
                  .exceptionally(
                      e ->
                          new SwitchoverHandoff.Result(
                              false, null, -1, "not started: " + InstanceOperations.rootMessage(e)))
                  .thenCompose(result -> concludeSwitchover(s, target, result))
                  // Closing a Lettuce client takes a while: not on the answer's path nor on the
                  // file-writing thread.
                  .whenComplete((t, e) -> CompletableFuture.runAsync(peer::close));
            });
  }

  private CompletionStage<Transition> concludeSwitchover(
      InstanceState s, Endpoint target, SwitchoverHandoff.Result result) {
    if (result.handedOver()) {
      InstanceState next = s.withReplicaOf(target).withHold(false);
      log.info("switchover done: {} is primary, handoff offset {}", target, result.handoffOffset());
      return applier
          .persist(next)
          .thenCompose(
              x -> {
                board.publish(next.view());
                // A fresh INFO before answering: a status poll the controller sends after this
                // answer must not be served the cached "role master" from before the handoff (it
                // would look like a second primary).
                return applier.status();
              })
          .thenApply(
              st ->
                  new Transition(
                      next,
                      Outcome.ok(
                          new SwitchoverResult(
                              target.host(), target.port(), result.handoffOffset()))));
    }
    if (result.after() != null && !result.after().isPrimary()) {
      // Redis demoted itself but the target has not confirmed yet: never restart this node as a
      // writable primary.
      InstanceState next = s.withReplicaOf(target).withHold(false);
      return applier
          .persist(next)
          .thenApply(
              x ->
                  new Transition(
                      next,
                      Outcome.unavailable(
                          "demoted, but "
                              + target
                              + " has not confirmed the handover yet ("
                              + result.after().failoverState()
                              + ")")));
    }
    return StateApplier.done(
        s,
        Outcome.timeout(
            "switchover to "
                + target
                + " not done: "
                + result.reason()
                + "; this primary resumed writes"));
  }
}
