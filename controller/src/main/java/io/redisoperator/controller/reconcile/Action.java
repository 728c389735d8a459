package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.redisoperator.protocol.agent.PromoteRequest;
import io.redisoperator.protocol.agent.SwitchoverRequest;
import io.redisoperator.protocol.event.EventReason;
import java.util.List;

/**
 * One thing a reconcile pass decided to do. Planned by pure steps, executed by the cluster actor.
 */
public sealed interface Action {
  /** A short description for logs and events. */
  String describe();

  record Create(HasMetadata object) implements Action {
    @Override
    public String describe() {
      return "create " + object.getKind() + " " + object.getMetadata().getName();
    }
  }

  /** JSON merge patch: only the fields in {@code patch} change (null values remove). */
  record Patch(Class<? extends HasMetadata> kind, String name, Object patch, String why)
      implements Action {
    @Override
    public String describe() {
      return "patch " + kind.getSimpleName() + " " + name + " (" + why + ")";
    }
  }

  record Delete(Class<? extends HasMetadata> kind, String name, String why) implements Action {
    @Override
    public String describe() {
      return "delete " + kind.getSimpleName() + " " + name + " (" + why + ")";
    }
  }

  /**
   * A best-effort request to one instance's agent whose effect shows in a later poll: not awaited
   * by the pass, and not repeated while its {@link #cooldownKey} is recent (see {@link
   * ReconcileInput#recentlyRequested}).
   */
  sealed interface AgentOperation extends Action permits Replicate, Fence, Unfence {
    String pod();

    String podIP();

    /** Names the request and what it asked for: the same request again has the same key. */
    String cooldownKey();

    /**
     * Exhaustive dispatch (Java 17 has no pattern switch): adding an operation does not compile
     * until every handler handles it.
     */
    <R> R apply(Handler<R> handler);

    /** One method per agent operation. */
    interface Handler<R> {
      R replicate(Replicate replicate);

      R fence(Fence fence);

      R unfence(Unfence unfence);
    }
  }

  /**
   * Point the instance at the primary. Not awaited by the pass: its effect shows in the next poll.
   */
  record Replicate(String pod, String podIP, String primary, String primaryIP, int primaryPort)
      implements AgentOperation {
    @Override
    public String cooldownKey() {
      return ReconcileInput.opKey("replicate", pod, primaryIP);
    }

    @Override
    public <R> R apply(Handler<R> handler) {
      return handler.replicate(this);
    }

    @Override
    public String describe() {
      return "replicate " + pod + " from " + primaryIP + ":" + primaryPort;
    }
  }

  /**
   * Best-effort POST /v1/fence; the durable fence is the status entry, so the pass does not wait
   * for it.
   */
  record Fence(String pod, String podIP, String reason) implements AgentOperation {
    @Override
    public String cooldownKey() {
      return ReconcileInput.opKey("fence", pod, podIP);
    }

    @Override
    public <R> R apply(Handler<R> handler) {
      return handler.fence(this);
    }

    @Override
    public String describe() {
      return "fence " + pod + " (" + reason + ")";
    }
  }

  /** Best-effort DELETE /v1/fence once nobody wants the instance fenced any more; not awaited. */
  record Unfence(String pod, String podIP) implements AgentOperation {
    @Override
    public String cooldownKey() {
      return ReconcileInput.opKey("unfence", pod, podIP);
    }

    @Override
    public <R> R apply(Handler<R> handler) {
      return handler.unfence(this);
    }

    @Override
    public String describe() {
      return "unfence " + pod;
    }
  }

  /**
   * Guarded promotion; awaited, its answer decides the next step. Each fence of {@code fenceFirst}
   * is sent first and must be confirmed; if one is not, the promotion is not sent and the action
   * fails.
   */
  record Promote(String pod, String podIP, PromoteRequest request, List<Fence> fenceFirst)
      implements Action {
    public Promote {
      fenceFirst = List.copyOf(fenceFirst);
    }

    public Promote(String pod, String podIP, PromoteRequest request) {
      this(pod, podIP, request, List.of());
    }

    @Override
    public String describe() {
      String fences =
          fenceFirst.isEmpty()
              ? ""
              : " after fencing "
                  + fenceFirst.stream()
                      .map(Fence::pod)
                      .collect(java.util.stream.Collectors.joining(", "));
      return "promote "
          + pod
          + " (replid "
          + request.expectedReplId()
          + ", offset >= "
          + request.minOffset()
          + ")"
          + fences;
    }
  }

  /** Planned switchover through the current primary's agent; awaited. */
  record Switchover(String primary, String primaryIP, String target, SwitchoverRequest request)
      implements Action {
    @Override
    public String describe() {
      return "switchover " + primary + " -> " + target;
    }
  }

  /** An Event on the RedisCluster. */
  record Emit(EventReason reason, String note) implements Action {
    @Override
    public String describe() {
      return (reason.warning() ? "warning " : "event ") + reason.reason() + ": " + note;
    }
  }
}
