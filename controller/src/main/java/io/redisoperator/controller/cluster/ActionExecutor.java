package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.agent.AgentEndpoint;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.reconcile.Action;
import io.redisoperator.controller.reconcile.OwnedObjects;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.protocol.agent.FenceRequest;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.LegacyUsersRequest;
import io.redisoperator.protocol.agent.OperationResult;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.crd.RedisCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;

/**
 * Turns planned actions into API and agent calls. Never throws: every call ends as an {@link
 * ActionOutcome}.
 */
final class ActionExecutor {
  private final KubeGateway kube;
  private final AgentClient agents;

  ActionExecutor(KubeGateway kube, AgentClient agents) {
    this.kube = kube;
    this.agents = agents;
  }

  /** An agent operation sent: its {@link Action.AgentOperation#cooldownKey} and its outcome. */
  record SentOperation(String cooldownKey, CompletionStage<ActionOutcome> outcome) {}

  /**
   * A plan's actions, started in order.
   *
   * @param awaited the outcomes the pass waits for, in the actions' order (never fails: {@link
   *     #run})
   * @param operations the agent operations it does not wait for: their effect shows in the answer,
   *     or in a later poll
   */
  record Started(CompletableFuture<List<ActionOutcome>> awaited, List<SentOperation> operations) {}

  /** Starts each of a plan's actions, logging it. */
  Started runAll(
      List<Action> actions,
      RedisCluster cluster,
      OwnedObjects owned,
      AgentCredentials credentials,
      Logger log) {
    List<CompletableFuture<ActionOutcome>> awaited = new ArrayList<>();
    List<SentOperation> operations = new ArrayList<>();
    for (Action action : actions) {
      log.info("{}", action.describe());
      CompletionStage<ActionOutcome> stage = run(action, cluster, owned, credentials);
      if (action instanceof Action.AgentOperation operation) {
        operations.add(new SentOperation(operation.cooldownKey(), stage));
      } else {
        awaited.add(stage.toCompletableFuture());
      }
    }
    return new Started(
        CompletableFuture.allOf(awaited.toArray(CompletableFuture[]::new))
            .thenApply(v -> awaited.stream().map(CompletableFuture::join).toList()),
        operations);
  }

  CompletionStage<ActionOutcome> run(
      Action action, RedisCluster cluster, OwnedObjects owned, AgentCredentials credentials) {
    String ns = cluster.getMetadata().getNamespace();
    CompletionStage<ActionOutcome> stage;
    try {
      stage = start(action, cluster, owned, credentials, ns);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.handle(
        (outcome, failure) ->
            failure == null
                ? outcome
                : new ActionOutcome(action, null, null, null, unwrap(failure)));
  }

  private CompletionStage<ActionOutcome> start(
      Action action,
      RedisCluster cluster,
      OwnedObjects owned,
      AgentCredentials credentials,
      String ns) {
    if (action instanceof Action.Create create) {
      // Its Event is the actor's, one per pass (LifecycleEvents), and never awaited: behind every
      // other cluster's queued calls it held the pass (and the cluster's next step) once more.
      return kube.create(create.object())
          .thenApply(created -> new ActionOutcome(action, null, created, null, null));
    }
    if (action instanceof Action.Patch patch) {
      HasMetadata before = owned.get(patch.kind(), patch.name()).orElse(null);
      return kube.mergePatch(patch.kind(), ns, patch.name(), patch.patch())
          .thenApply(after -> new ActionOutcome(action, before, after, null, null));
    }
    if (action instanceof Action.Delete delete) {
      HasMetadata before = owned.get(delete.kind(), delete.name()).orElse(null);
      return kube.delete(delete.kind(), ns, delete.name())
          .thenApply(deleted -> new ActionOutcome(action, before, null, deleted, null));
    }
    if (action instanceof Action.AgentOperation operation) {
      return send(operation, credentials)
          .thenApply(result -> new ActionOutcome(action, null, null, result, null));
    }
    if (action instanceof Action.Promote promote) {
      CompletableFuture<?>[] fences =
          promote.fenceFirst().stream()
              .map(f -> send(f, credentials).toCompletableFuture())
              .toArray(CompletableFuture[]::new);
      // Any fence not confirmed fails the whole action: nothing is promoted, the next pass
      // re-plans.
      return CompletableFuture.allOf(fences)
          .thenCompose(
              v ->
                  agents.promote(
                      new AgentEndpoint(promote.pod(), promote.podIP(), credentials),
                      promote.request()))
          .thenApply(result -> new ActionOutcome(action, null, null, result, null));
    }
    if (action instanceof Action.Switchover switchover) {
      return agents
          .switchover(
              new AgentEndpoint(switchover.primary(), switchover.primaryIP(), credentials),
              switchover.request())
          .thenApply(result -> new ActionOutcome(action, null, null, result, null));
    }
    if (action instanceof Action.SeedLegacyUsers seed) {
      return kube.get(io.fabric8.kubernetes.api.model.Secret.class, ns, seed.authSecret())
          .thenCompose(
              secret ->
                  agents.legacyUsers(
                      new AgentEndpoint(seed.pod(), seed.podIP(), credentials),
                      new LegacyUsersRequest(
                          seed.legacyPod(),
                          seed.legacyIP(),
                          seed.legacyPort(),
                          secret
                              .flatMap(
                                  s -> ClusterSecrets.value(s, InstanceLayout.SECRET_KEY_PASSWORD))
                              .orElseThrow(
                                  () ->
                                      new IllegalStateException(
                                          "auth Secret "
                                              + seed.authSecret()
                                              + " has no key "
                                              + InstanceLayout.SECRET_KEY_PASSWORD)))))
          .thenApply(result -> new ActionOutcome(action, null, null, result, null));
    }
    if (action instanceof Action.Emit emit) {
      return kube.event(cluster, emit.reason(), emit.reason().reason(), emit.note())
          .thenApply(v -> new ActionOutcome(action, null, null, null, null));
    }
    throw new IllegalArgumentException("unknown action " + action);
  }

  private CompletionStage<OperationResult> send(
      Action.AgentOperation operation, AgentCredentials credentials) {
    AgentEndpoint endpoint = new AgentEndpoint(operation.pod(), operation.podIP(), credentials);
    return operation.apply(
        new Action.AgentOperation.Handler<CompletionStage<OperationResult>>() {
          @Override
          public CompletionStage<OperationResult> replicate(Action.Replicate replicate) {
            return agents.replicate(
                endpoint,
                new ReplicateRequest(
                    replicate.primaryIP(), replicate.primaryPort(), replicate.primary()));
          }

          @Override
          public CompletionStage<OperationResult> fence(Action.Fence fence) {
            return agents.fence(endpoint, new FenceRequest(fence.reason()));
          }

          @Override
          public CompletionStage<OperationResult> unfence(Action.Unfence unfence) {
            return agents.unfence(endpoint);
          }
        });
  }

  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
