package io.redisoperator.controller.config;

import java.util.List;

/**
 * Where the controller serves /metrics, /healthz and /readyz when not told: in a pod (POD_IP set by
 * the chart from the Downward API) its pod IP, for probes, Services and Prometheus, plus loopback
 * for {@code kubectl port-forward}; but not loopback when the pod IP is itself a loopback address
 * (pods sharing one host network, as in the sandbox, where 127.0.0.1 belongs to nobody). Outside a
 * pod: every address.
 */
public final class MetricsAddresses {
  private MetricsAddresses() {}

  public static List<String> defaults(String podIp) {
    if (podIp == null || podIp.isBlank()) {
      return List.of("0.0.0.0");
    }
    return podIp.startsWith("127.") ? List.of(podIp) : List.of(podIp, "127.0.0.1");
  }
}
