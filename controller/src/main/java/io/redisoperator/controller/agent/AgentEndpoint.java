package io.redisoperator.controller.agent;

/**
 * One agent to call: its pod (the name its certificate must carry), its IP, and the cluster's
 * credentials.
 */
public record AgentEndpoint(String pod, String ip, AgentCredentials credentials) {
  @Override
  public String toString() {
    return pod + "@" + ip;
  }
}
