package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.agent.MonotonicClock;
import io.redisoperator.protocol.agent.PromoteRequest;
import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * What the rest of the agent tells the {@link InstanceActor}: the controller's requests (through
 * the HTTP routes), the supervisor's start preparation, and rotated settings and secrets. The
 * actor's own messages (its checks and their findings) are {@link InternalCommand}.
 */
public sealed interface InstanceCommand
    permits InstanceCommand.Request,
        InstanceCommand.PrepareStart,
        InstanceCommand.SettingsChanged,
        InstanceCommand.PasswordChanged,
        InstanceCommand.AgentTlsChanged,
        InternalCommand {

  /**
   * A request from the controller. It carries the agent's deadline for it ({@link
   * MonotonicClock#nanos()} based: receipt plus the agent's operation timeout, not the caller's): a
   * request still queued when it expires is answered with a timeout and never executed. The
   * caller's own deadline is known only for a promotion ({@link PromoteRequest#timeoutMillis()},
   * see {@link Promote#executeByNanos()}).
   */
  sealed interface Request extends InstanceCommand
      permits Promote, Replicate, Fence, Unfence, Switchover {
    long deadlineNanos();

    ActorRef<Outcome> replyTo();
  }

  /**
   * @param executeByNanos the caller's deadline (at the latest {@code deadlineNanos}): a promotion
   *     not started by then, queued or waiting for Redis, is refused with 408, so a controller that
   *     gave up on it and promotes another replica never sees it happen later
   */
  record Promote(
      PromoteRequest request, long deadlineNanos, long executeByNanos, ActorRef<Outcome> replyTo)
      implements Request {}

  record Replicate(Endpoint primary, long deadlineNanos, ActorRef<Outcome> replyTo)
      implements Request {}

  record Fence(String reason, long deadlineNanos, ActorRef<Outcome> replyTo) implements Request {}

  record Unfence(long deadlineNanos, ActorRef<Outcome> replyTo) implements Request {}

  /**
   * @param startByNanos a handoff not started by then (its own timeout after receipt) is refused
   *     with 408: the controller waits the operation timeout plus the handoff timeout, so a handoff
   *     that began later could complete after it gave up and left the role with an instance it no
   *     longer records
   */
  record Switchover(
      Endpoint target,
      long timeoutMillis,
      long deadlineNanos,
      long startByNanos,
      ActorRef<Outcome> replyTo)
      implements Request {}

  /**
   * From the supervisor before every redis-server start: run the boot guard and render the conf.
   */
  record PrepareStart(ActorRef<StatusReply<Path>> replyTo) implements InstanceCommand {}

  record SettingsChanged(InstanceSettings settings) implements InstanceCommand {}

  record PasswordChanged(ProjectedValue password) implements InstanceCommand {}

  record AgentTlsChanged(String version) implements InstanceCommand {}
}
