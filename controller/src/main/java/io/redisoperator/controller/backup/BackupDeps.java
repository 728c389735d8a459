package io.redisoperator.controller.backup;

import io.redisoperator.controller.agent.AgentClient;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.controller.kube.OwnedCache;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What the backup actors need from the outside world.
 *
 * @param pollInterval how often Running backups' agents are asked for progress and schedules are
 *     evaluated
 * @param agentUnreachableLimit a Running backup whose agent does not answer for this long ends
 *     Failed
 */
public record BackupDeps(
    BackupInformers informers,
    OwnedCache cache,
    KubeGateway kube,
    AgentClient agents,
    StoreObjects store,
    BackupMetrics metrics,
    Clock clock,
    Duration pollInterval,
    Duration agentUnreachableLimit) {

  /**
   * A backup actor that is sent {@code tick} every {@link #pollInterval}, as each of them looks at
   * the backups, schedules or restores it keeps at that pace.
   */
  <C> Behavior<C> polling(C tick, Function<ActorContext<C>, Behavior<C>> actor) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(tick, pollInterval);
                  return actor.apply(context);
                }));
  }
}
