package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.ConfInputs;
import io.redisoperator.agent.config.ConfigFiles;
import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.config.RedisConfRenderer;
import io.redisoperator.agent.config.RedisTlsFiles;
import io.redisoperator.agent.config.SettingsCheck;
import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.agent.kube.BootGuard;
import io.redisoperator.agent.kube.BootPlan;
import io.redisoperator.agent.kube.ClusterView;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.redis.RedisInfo;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.acl.OperatorUsers;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.SwitchoverResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations on the instance, each an asynchronous, time-bounded chain of Redis commands and
 * file writes that turns one {@link InstanceState} into the next. {@link InstanceActor} runs them
 * one at a time.
 */
public final class InstanceOperations {
  private static final Logger log = LoggerFactory.getLogger(InstanceOperations.class);

  /** Command timeout on the direct connection to a switchover target. */
  private static final java.time.Duration PEER_TIMEOUT = java.time.Duration.ofMillis(500);

  /** Where and as whom redis.conf is rendered. */
  /**
   * @param redisTlsDir where Redis' TLS files are projected (used only when the settings turn TLS
   *     on)
   */
  public record Layout(
      String podName,
      int ordinal,
      String podIp,
      int redisPort,
      Path dataDir,
      Path confFile,
      Path redisTlsDir) {}

  private final Layout layout;
  private final RedisCommands redis;
  private final StatusBoard board;
  private final AtomicReference<String> redisPassword;
  private final Executor blocking;

  public InstanceOperations(
      Layout layout,
      RedisCommands redis,
      StatusBoard board,
      AtomicReference<String> redisPassword,
      Executor blocking) {
    this.layout = layout;
    this.redis = redis;
    this.board = board;
    this.redisPassword = redisPassword;
    this.blocking = blocking;
  }

  public Layout layout() {
    return layout;
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
      fence = new FenceMarker("listed in status.fencedInstances", false, Instant.now().toString());
    }
    InstanceState next = s.withReplicaOf(plan.replicaOf()).withHold(plan.hold()).withFence(fence);
    log.info(
        "boot guard: {} -> {}, writable={}",
        plan.reason(),
        next.replicaOf() == null ? "primary" : "replica of " + next.replicaOf(),
        next.writable());
    return persist(next).thenApply(x -> new Transition(next, Outcome.ok(layout.confFile())));
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
      return CompletableFuture.completedFuture(new Transition(s, Outcome.ok("still waiting")));
    }
    log.info("boot guard resolved: {}", plan.reason());
    InstanceState next = s.withHold(false).withReplicaOf(plan.replicaOf());
    CompletionStage<?> role =
        plan.replicaOf() == null
            ? CompletableFuture.completedFuture(null)
            : redis.replicaOf(plan.replicaOf().host(), plan.replicaOf().port());
    return role.thenCompose(x -> commit(next, "boot guard resolved"));
  }

  /**
   * @param executeByNanos ({@link System#nanoTime()}) the caller's deadline: past it the promotion
   *     is refused with 408 rather than started, since the caller may be promoting another replica
   *     by then
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
                return CompletableFuture.completedFuture(
                    new Transition(s, Outcome.conflict(refusal.get())));
              }
              if (System.nanoTime() - executeByNanos >= 0) {
                log.warn("promotion refused: the caller's deadline passed before REPLICAOF NO ONE");
                return CompletableFuture.completedFuture(
                    new Transition(
                        s,
                        Outcome.expired(
                            "the promotion's deadline passed before it could run; not promoted")));
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
                    return commit(next, "promoted");
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

  public CompletionStage<Transition> replicate(InstanceState s, Endpoint primary) {
    InstanceState next = s.withReplicaOf(primary).withHold(false);
    return redis
        .replicaOf(primary.host(), primary.port())
        .thenCompose(
            x -> {
              log.info("now replicating from {}", primary);
              return commit(next, "replicating from " + primary);
            });
  }

  public CompletionStage<Transition> fence(InstanceState s, String reason, boolean self) {
    FenceMarker marker = new FenceMarker(reason, self, Instant.now().toString());
    InstanceState next = s.withFence(marker);
    // The marker and conf first: whatever happens next, Redis starts fenced from now on.
    return persist(next)
        .thenCompose(x -> applyWritability(next))
        .handle(
            (x, error) -> {
              if (error == null || !board.redisRunning()) {
                log.warn("{}fenced: {}", self ? "self-" : "", reason);
                board.publish(next.view());
                return status()
                    .thenApply(
                        st -> new Transition(next, Outcome.ok(new OperationResult("fenced", st))));
              }
              return CompletableFuture.completedFuture(
                  new Transition(
                      next,
                      Outcome.unavailable(
                          "fence recorded but Redis did not confirm it: " + rootMessage(error))));
            })
        .thenCompose(t -> t);
  }

  public CompletionStage<Transition> unfence(InstanceState s, boolean onlySelfFence) {
    if (onlySelfFence && !s.selfFenced()) {
      return CompletableFuture.completedFuture(new Transition(s, Outcome.ok("not self-fenced")));
    }
    InstanceState next = s.withFence(null).withHold(false);
    log.info("{} lifted", onlySelfFence ? "self-fence" : "fence");
    return commit(next, "unfenced");
  }

  public CompletionStage<Transition> switchover(
      InstanceState s, Endpoint target, long timeoutMillis) {
    return redis
        .infoReplication()
        .thenCompose(
            info -> {
              if (!info.isPrimary()) {
                return done(s, Outcome.conflict("this instance is not a primary"));
              }
              if (!s.writable()) {
                return done(
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
                return done(
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
                              false, null, -1, "not started: " + rootMessage(e)))
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
      return persist(next)
          .thenCompose(
              x -> {
                board.publish(next.view());
                // A fresh INFO before answering: a status poll the controller sends after this
                // answer must not be
                // served the cached "role master" from before the handoff (it would look like a
                // second primary).
                return status();
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
      return persist(next)
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
    return done(
        s,
        Outcome.timeout(
            "switchover to "
                + target
                + " not done: "
                + result.reason()
                + "; this primary resumed writes"));
  }

  public CompletionStage<Transition> applySettings(InstanceState s, InstanceSettings settings) {
    List<String> problems = SettingsCheck.problems(settings);
    if (!problems.isEmpty()) {
      log.error("settings rejected, keeping the previous ones: {}", String.join("; ", problems));
      return done(
          s, new Outcome(400, new AgentError(AgentError.BAD_REQUEST, String.join("; ", problems))));
    }
    InstanceState next = s.withSettings(settings);
    CompletableFuture<Void> live = CompletableFuture.completedFuture(null);
    int plaintextPort = RedisConfRenderer.plaintextPort(settings);
    if (settings.tlsEnabled() && plaintextPort != RedisConfRenderer.plaintextPort(s.settings())) {
      // The TLS migration mode's plaintext port opens or closes at once: Redis (re)binds on CONFIG
      // SET port, 0 closes it; connections already open on it stay until they end.
      live =
          live.thenCompose(
              x ->
                  redis
                      .configSet("port", Integer.toString(plaintextPort))
                      .handle(
                          (ok, error) -> {
                            if (error != null) {
                              log.warn(
                                  "plaintext port {} not applied live ({}); it applies at the next restart",
                                  plaintextPort,
                                  rootMessage(error));
                            } else {
                              log.info(
                                  plaintextPort == 0
                                      ? "plaintext port closed: TLS only"
                                      : "plaintext port {} open beside TLS (migration mode)",
                                  plaintextPort);
                            }
                            return null;
                          }));
    }
    for (Map.Entry<String, String> e : RedisConfRenderer.userDirectives(settings).entrySet()) {
      live =
          live.thenCompose(
              x ->
                  redis
                      .configSet(e.getKey(), e.getValue())
                      .handle(
                          (ok, error) -> {
                            if (error != null) {
                              log.warn(
                                  "directive {} not applied live ({}); it applies at the next restart",
                                  e.getKey(),
                                  rootMessage(error));
                            }
                            return null;
                          }));
    }
    return live.thenCompose(x -> commit(next, "settings applied"))
        .exceptionally(
            error ->
                new Transition(
                    next, Outcome.ok("settings saved; Redis unavailable: " + rootMessage(error))));
  }

  public CompletionStage<Transition> applyPassword(InstanceState s, ProjectedValue password) {
    InstanceState next = s.withPassword(password);
    if (password.value().isEmpty()) {
      log.error("the new replication password is empty; keeping the previous one");
      return done(s, Outcome.conflict("empty password"));
    }
    return redis
        .configSet(Map.of("masterauth", password.value()))
        .handle(
            (ok, error) -> {
              boolean applied = error == null || !board.redisRunning();
              if (!applied) {
                log.warn(
                    "replication password version {} not applied live yet: {}",
                    password.version(),
                    rootMessage(error));
              }
              return applied;
            })
        .thenCompose(
            applied -> {
              if (!applied) {
                return done(s, Outcome.unavailable("password not applied"));
              }
              log.info("replication password version {} applied", password.version());
              return persist(next)
                  .thenApply(x -> new Transition(next, Outcome.ok("password applied")));
            });
  }

  /** Persists the state, applies writability live, and answers with the fresh status. */
  private CompletionStage<Transition> commit(InstanceState next, String message) {
    return persist(next)
        .thenCompose(x -> applyWritability(next))
        .thenCompose(
            x -> {
              board.publish(next.view());
              return status();
            })
        .thenApply(st -> new Transition(next, Outcome.ok(new OperationResult(message, st))));
  }

  /**
   * min-replicas-to-write is how a primary refuses writes: impossible while fenced or held, else
   * the durability.
   */
  CompletionStage<String> applyWritability(InstanceState s) {
    // Until Redis answers OK, what it applies is unknown: the status does not report a fence it has
    // not confirmed.
    board.recordWritabilityApplying();
    return redis
        .configSet(
            Map.of(
                "min-replicas-to-write",
                Integer.toString(RedisConfRenderer.minReplicasToWrite(s.settings(), s.writable())),
                "min-replicas-max-lag",
                Integer.toString(RedisConfRenderer.minReplicasMaxLag(s.settings()))))
        .thenApply(
            ok -> {
              board.recordWritabilityApplied(s.writable());
              return ok;
            });
  }

  /**
   * Writes the conf and marker of the current state again and applies its writability to Redis: a
   * fence whose CONFIG SET failed (Redis busy, restarting) is retried until Redis confirms it.
   */
  public CompletionStage<Transition> reassertWritability(InstanceState s) {
    return persist(s)
        .thenCompose(x -> applyWritability(s))
        .thenApply(
            x -> {
              log.info("Redis confirmed it {} writes", s.writable() ? "accepts" : "refuses");
              return new Transition(s, Outcome.ok("writability applied"));
            });
  }

  /** Writes redis.conf and the fence marker for this state (off the caller's thread). */
  public CompletionStage<Void> persist(InstanceState s) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            String conf =
                RedisConfRenderer.render(
                    new ConfInputs(
                        layout.podIp(),
                        layout.redisPort(),
                        layout.dataDir(),
                        s.password() == null ? null : s.password().value(),
                        s.replicaOf(),
                        s.writable(),
                        s.settings(),
                        layout.redisTlsDir()));
            if (s.fence() != null) {
              FenceMarker.save(layout.dataDir(), s.fence());
            } else {
              FenceMarker.delete(layout.dataDir());
            }
            ConfigFiles.writePrivate(layout.confFile(), conf);
          } catch (Exception e) {
            throw new CompletionException(e);
          }
        },
        blocking);
  }

  /** A fresh status (INFO now), or the status with Redis down when it does not answer in time. */
  public CompletionStage<InstanceStatus> status() {
    long issued = board.nowMillis();
    return redis
        .info()
        .handle(
            (info, error) -> {
              if (error != null) {
                return board.status(null);
              }
              board.recordInfo(info, issued);
              return board.status(info);
            });
  }

  private static CompletionStage<Transition> done(InstanceState s, Outcome outcome) {
    return CompletableFuture.completedFuture(new Transition(s, outcome));
  }

  public static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }
}
