package io.redisoperator.agent.instance;

import java.util.Map;

/**
 * The agent-side facts the status reports, published by {@link InstanceActor} after every change so
 * status requests never wait for the actor.
 *
 * @param hold held non-writable at boot until the controller decides
 */
public record AgentView(
    boolean fenced,
    boolean selfFenced,
    boolean hold,
    String configHash,
    Map<String, String> secretVersions) {
  public static AgentView initial() {
    return new AgentView(false, false, true, null, Map.of());
  }
}
