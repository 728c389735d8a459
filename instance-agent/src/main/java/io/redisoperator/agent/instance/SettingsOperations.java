package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.RedisConfRenderer;
import io.redisoperator.agent.config.SettingsCheck;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.AgentError;
import io.redisoperator.protocol.agent.InstanceSettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings and the replication password the pod's projected files carry: applied live where
 * Redis allows, always saved for the next start.
 */
public final class SettingsOperations {
  private static final Logger log = LoggerFactory.getLogger(SettingsOperations.class);

  private final RedisCommands redis;
  private final StateApplier applier;
  private final StatusBoard board;

  SettingsOperations(RedisCommands redis, StateApplier applier, StatusBoard board) {
    this.redis = redis;
    this.applier = applier;
    this.board = board;
  }

  public CompletionStage<Transition> applySettings(InstanceState s, InstanceSettings settings) {
    List<String> problems = SettingsCheck.problems(settings);
    if (!problems.isEmpty()) {
      log.error("settings rejected, keeping the previous ones: {}", String.join("; ", problems));
      return StateApplier.done(
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
                                  InstanceOperations.rootMessage(error));
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
                                  InstanceOperations.rootMessage(error));
                            }
                            return null;
                          }));
    }
    return live.thenCompose(x -> applier.commit(next, "settings applied"))
        .exceptionally(
            error ->
                new Transition(
                    next,
                    Outcome.ok(
                        "settings saved; Redis unavailable: "
                            + InstanceOperations.rootMessage(error))));
  }

  public CompletionStage<Transition> applyPassword(InstanceState s, ProjectedValue password) {
    InstanceState next = s.withPassword(password);
    if (password.value().isEmpty()) {
      log.error("the new replication password is empty; keeping the previous one");
      return StateApplier.done(s, Outcome.conflict("empty password"));
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
                    InstanceOperations.rootMessage(error));
              }
              return applied;
            })
        .thenCompose(
            applied -> {
              if (!applied) {
                return StateApplier.done(s, Outcome.unavailable("password not applied"));
              }
              log.info("replication password version {} applied", password.version());
              return applier
                  .persist(next)
                  .thenApply(x -> new Transition(next, Outcome.ok("password applied")));
            });
  }
}
