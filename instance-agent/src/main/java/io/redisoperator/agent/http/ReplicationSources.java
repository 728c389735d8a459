package io.redisoperator.agent.http;

import io.redisoperator.agent.kube.ClusterReader;
import io.redisoperator.protocol.agent.AgentError;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Which hosts Redis may be pointed at with {@code /v1/replicate}: only the address the API server
 * gives for the named pod of this cluster. Redis presents the replication password to whatever it
 * is pointed at, so a request naming another host is refused before anything changes.
 */
@FunctionalInterface
public interface ReplicationSources {

  /**
   * Why {@code host} may not be used as the replication source named {@code pod}, or empty when it
   * may.
   */
  CompletionStage<Optional<Refusal>> problem(String pod, String host);

  /**
   * An answer for the caller: 400 when the host is not that pod's, 503 when the API server cannot
   * say.
   */
  record Refusal(int httpStatus, String code, String message) {}

  static ReplicationSources of(ClusterReader reader) {
    return (pod, host) ->
        reader
            .podIp(pod)
            .handle(
                (ip, failure) -> {
                  if (failure != null) {
                    return Optional.of(
                        new Refusal(
                            503,
                            AgentError.UNAVAILABLE,
                            "cannot confirm that "
                                + host
                                + " is pod "
                                + pod
                                + " (API server: "
                                + failure.getMessage()
                                + ")"));
                  }
                  if (ip.isEmpty() || !ip.get().equals(host)) {
                    return Optional.of(
                        new Refusal(
                            400,
                            AgentError.BAD_REQUEST,
                            host
                                + " is not the address of pod "
                                + pod
                                + " ("
                                + ip.orElse("no pod IP")
                                + "): only this cluster's pods"
                                + " are replication sources"));
                  }
                  return Optional.empty();
                });
  }
}
