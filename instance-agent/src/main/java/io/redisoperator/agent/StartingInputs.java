package io.redisoperator.agent;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.config.RedisConfRenderer;
import io.redisoperator.agent.config.SettingsCheck;
import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.agent.http.AgentServerTls;
import io.redisoperator.agent.instance.InstanceState;
import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent starts from, read once before anything runs: the projected passwords and settings
 * as they are at start (the watches follow them from there), and the instance's first state (the
 * previous run's {@code replicaof}, a fence marker left on the data volume).
 *
 * @param replicationPassword goes into redis.conf ({@code masterauth})
 * @param agentPassword the agent's own, only ever in memory
 */
record StartingInputs(
    Optional<ProjectedValue> replicationPassword,
    Optional<ProjectedValue> agentPassword,
    Optional<ProjectedValue> settingsFile,
    InstanceState initial) {
  private static final Logger log = LoggerFactory.getLogger(StartingInputs.class);

  static StartingInputs read(AgentSettings settings, AgentServerTls tls) throws IOException {
    Optional<ProjectedValue> password =
        ProjectedFiles.read(settings.dirs().auth(), InstanceLayout.AUTH_KEY_REPLICATION);
    Optional<ProjectedValue> agentPassword =
        ProjectedFiles.read(settings.dirs().auth(), InstanceLayout.AUTH_KEY_AGENT);
    Optional<ProjectedValue> settingsFile =
        ProjectedFiles.read(settings.dirs().config(), InstanceLayout.CONFIG_KEY_SETTINGS);
    if (password.isEmpty() || agentPassword.isEmpty()) {
      log.error(
          "no operator passwords at {}: Redis will not start until they appear",
          settings.dirs().auth());
    }
    InstanceSettings initialSettings =
        settingsFile
            .flatMap(StartingInputs::parseSettings)
            .orElse(new InstanceSettings(Map.of(), null, null));
    InstanceState initial =
        new InstanceState(
            previousReplicaOf(settings.dirs().confFile()),
            true,
            FenceMarker.load(settings.dirs().data()).orElse(null),
            initialSettings,
            password.orElse(null),
            tls.version().orElse(null));
    if (initial.fence() != null) {
      log.warn("fence marker found: starting fenced ({})", initial.fence().reason());
    }
    return new StartingInputs(password, agentPassword, settingsFile, initial);
  }

  /** The settings file's content, or empty (logged) when it is not valid JSON or not acceptable. */
  static Optional<InstanceSettings> parseSettings(ProjectedValue value) {
    try {
      InstanceSettings s = Json.contract().readValue(value.value(), InstanceSettings.class);
      List<String> problems = SettingsCheck.problems(s);
      if (!problems.isEmpty()) {
        log.error("settings version {} rejected: {}", value.version(), String.join("; ", problems));
        return Optional.empty();
      }
      return Optional.of(s);
    } catch (IOException e) {
      log.error("settings version {} is not valid JSON: {}", value.version(), e.getMessage());
      return Optional.empty();
    }
  }

  private static Endpoint previousReplicaOf(Path conf) {
    try {
      return Files.exists(conf)
          ? RedisConfRenderer.replicaOfIn(Files.readString(conf)).orElse(null)
          : null;
    } catch (IOException e) {
      log.warn("cannot read the previous {}: {}", conf, e.toString());
      return null;
    }
  }
}
