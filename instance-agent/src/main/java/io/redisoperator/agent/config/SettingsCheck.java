package io.redisoperator.agent.config;

import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.validation.RedisDirectives;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent's own check of the settings it is handed. The controller validates spec.redis too, but
 * the agent is the last line before redis.conf, so it never trusts the ConfigMap: one bad directive
 * rejects the whole settings.
 */
public final class SettingsCheck {
  private SettingsCheck() {}

  public static List<String> problems(InstanceSettings settings) {
    List<String> problems = new ArrayList<>();
    if (settings == null) {
      return problems;
    }
    if (settings.redisDirectives() != null) {
      for (Map.Entry<String, String> e : settings.redisDirectives().entrySet()) {
        RedisDirectives.problem(e.getKey(), e.getValue()).ifPresent(problems::add);
      }
    }
    Integer minReplicas = settings.minReplicasToWrite();
    if (minReplicas != null && (minReplicas < 0 || minReplicas > 63)) {
      problems.add("minReplicasToWrite must be between 0 and 63, got " + minReplicas);
    }
    Integer maxLag = settings.minReplicasMaxLagSeconds();
    if (maxLag != null && (maxLag < 1 || maxLag > 3600)) {
      problems.add("minReplicasMaxLagSeconds must be between 1 and 3600, got " + maxLag);
    }
    return problems;
  }
}
