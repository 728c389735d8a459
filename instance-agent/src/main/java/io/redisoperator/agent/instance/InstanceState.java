package io.redisoperator.agent.instance;

import io.redisoperator.agent.config.Endpoint;
import io.redisoperator.agent.fencing.FenceMarker;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.InstanceSettings;
import io.redisoperator.protocol.agent.InstanceSettingsHash;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the agent wants its Redis to be. redis.conf is rendered from it after every change, so a
 * restarted Redis comes back in the same role, fence and settings.
 *
 * @param replicaOf the primary this instance follows, null when it is (or is to be) a primary
 * @param hold not writable until the controller decides (boot without a confirmed role)
 * @param fence the persistent fence, null when not fenced
 */
public record InstanceState(
    Endpoint replicaOf,
    boolean hold,
    FenceMarker fence,
    InstanceSettings settings,
    ProjectedValue password,
    String agentTlsVersion) {

  public boolean writable() {
    return fence == null && !hold;
  }

  public boolean selfFenced() {
    return fence != null && fence.selfFenced();
  }

  public InstanceState withReplicaOf(Endpoint primary) {
    return new InstanceState(primary, hold, fence, settings, password, agentTlsVersion);
  }

  public InstanceState withHold(boolean h) {
    return new InstanceState(replicaOf, h, fence, settings, password, agentTlsVersion);
  }

  public InstanceState withFence(FenceMarker f) {
    return new InstanceState(replicaOf, hold, f, settings, password, agentTlsVersion);
  }

  public InstanceState withSettings(InstanceSettings s) {
    return new InstanceState(replicaOf, hold, fence, s, password, agentTlsVersion);
  }

  public InstanceState withPassword(ProjectedValue p) {
    return new InstanceState(replicaOf, hold, fence, settings, p, agentTlsVersion);
  }

  public InstanceState withAgentTlsVersion(String v) {
    return new InstanceState(replicaOf, hold, fence, settings, password, v);
  }

  public AgentView view() {
    Map<String, String> versions = new TreeMap<>();
    if (password != null) {
      versions.put("auth", password.version());
    }
    if (agentTlsVersion != null) {
      versions.put("agent-tls", agentTlsVersion);
    }
    return new AgentView(
        fence != null, selfFenced(), hold, InstanceSettingsHash.of(settings), Map.copyOf(versions));
  }
}
