package io.redisoperator.agent;

import io.redisoperator.agent.http.AgentServerTls;
import io.redisoperator.agent.instance.InstanceCommand;
import io.redisoperator.agent.redis.RedisCommands;
import io.redisoperator.agent.redis.RedisSupervisorActor;
import io.redisoperator.agent.secrets.ProjectedFileWatcher;
import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.RedisTlsRotation;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The projected files the agent follows while it runs, and what a new version of each sets off:
 * passwords (reconnect, or hand the replication password to the instance), the agent API's and
 * Redis's certificates (reloaded live) and the instance settings. Each watch starts from the
 * version the agent started with ({@link StartingInputs}), so only a change fires it.
 */
final class RotationWatches {
  private final AgentSettings settings;
  private final ActorRef<InstanceCommand> instance;
  private final ActorRef<RedisSupervisorActor.Command> supervisor;

  RotationWatches(
      AgentSettings settings,
      ActorRef<InstanceCommand> instance,
      ActorRef<RedisSupervisorActor.Command> supervisor) {
    this.settings = settings;
    this.instance = instance;
    this.supervisor = supervisor;
  }

  /**
   * Starts every watch on {@code watcher}.
   *
   * @param agentPassword the password the agent's own Redis connections use, replaced on rotation
   * @param currentSettings the settings in force, replaced when a valid new version appears
   * @param redis the connection that applies rotated Redis TLS files, when Redis uses TLS
   */
  void start(
      ProjectedFileWatcher watcher,
      StartingInputs inputs,
      AtomicReference<String> agentPassword,
      AtomicReference<InstanceSettings> currentSettings,
      AgentServerTls tls,
      RedisCommands redis,
      boolean redisTls)
      throws IOException {
    watcher.watch(
        settings.dirs().auth(),
        InstanceLayout.AUTH_KEY_AGENT,
        inputs.agentPassword(),
        v -> {
          // The controller keeps the old password valid until every pod has the new one: reconnect
          // with the new.
          agentPassword.set(v.value());
          supervisor.tell(RedisSupervisorActor.Start.INSTANCE);
        });
    watcher.watch(
        settings.dirs().auth(),
        InstanceLayout.AUTH_KEY_REPLICATION,
        inputs.replicationPassword(),
        v -> {
          instance.tell(new InstanceCommand.PasswordChanged(v));
          // A pod that booted before its Secret was projected starts Redis now.
          supervisor.tell(RedisSupervisorActor.Start.INSTANCE);
        });
    // The Secret's three keys change together; any of them changing reloads all three.
    for (String key :
        List.of(
            InstanceLayout.SECRET_KEY_TLS_CERT,
            InstanceLayout.SECRET_KEY_TLS_KEY,
            InstanceLayout.SECRET_KEY_CA_CERT)) {
      watcher.watch(
          settings.dirs().agentTls(),
          key,
          ProjectedFiles.read(settings.dirs().agentTls(), key),
          v ->
              tls.reload()
                  .ifPresent(
                      version -> instance.tell(new InstanceCommand.AgentTlsChanged(version))));
    }
    if (redisTls) {
      RedisTlsRotation.watch(watcher, settings.dirs().redisTls(), redis);
    }
    watcher.watch(
        settings.dirs().config(),
        InstanceLayout.CONFIG_KEY_SETTINGS,
        inputs.settingsFile(),
        v ->
            StartingInputs.parseSettings(v)
                .ifPresent(
                    s -> {
                      currentSettings.set(s);
                      instance.tell(new InstanceCommand.SettingsChanged(s));
                    }));
  }
}
