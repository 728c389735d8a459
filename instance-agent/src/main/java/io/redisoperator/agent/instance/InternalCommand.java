package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.kube.ClusterView;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.pattern.StatusReply;

/**
 * The {@link InstanceActor}'s own messages: its checks, their findings, and the ends of what it
 * started. Only the actor sends them (to itself).
 */
sealed interface InternalCommand extends InstanceCommand {

  enum Tick implements InternalCommand {
    INSTANCE
  }

  record Probed(ClusterView view, Throwable error, long startedAtMillis)
      implements InternalCommand {}

  record BootViewRead(
      Optional<ClusterView> view, long startedAtMillis, ActorRef<StatusReply<Path>> replyTo)
      implements InternalCommand {}

  record SelfFence(String reason) implements InternalCommand {}

  /**
   * The API server lists this pod in status.fencedInstances: fenced as if the controller had asked.
   */
  record RecordedFence() implements InternalCommand {}

  enum LiftSelfFence implements InternalCommand {
    INSTANCE
  }

  record ResolveBoot(ClusterView view, boolean mayTurnWritable) implements InternalCommand {}

  /**
   * Redis has not confirmed the writability the state wants (a CONFIG SET failed or is unknown):
   * apply it again.
   */
  enum ReassertWritability implements InternalCommand {
    INSTANCE
  }

  record AdoptRole(TickPlanner.RoleChange change) implements InternalCommand {}

  record FollowPrimary(Endpoint primary) implements InternalCommand {}

  record OpDone(Transition transition, Throwable error, ActorRef<Outcome> replyTo)
      implements InternalCommand {}

  record StartPrepared(Transition transition, Throwable error, ActorRef<StatusReply<Path>> replyTo)
      implements InternalCommand {}
}
