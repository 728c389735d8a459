package io.redisoperator.bench.fleet;

import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated agents of the footprint benchmark: clusters of three pods (the first a primary),
 * each cluster with its own agent CA as the operator issues them, each pod its own server
 * certificate and loopback address. The server JVM reads it from a file; the controller's client
 * certificate of each cluster stays with the client.
 */
record FootprintPlan(List<FootprintPlan.Cluster> clusters) {
  static final int PODS_PER_CLUSTER = 3;
  static final String NAMESPACE = "bench";
  private static final Duration VALIDITY = Duration.ofDays(1);

  /**
   * @param caPem the cluster's agent CA certificate
   */
  record Cluster(String name, String caPem, List<Pod> pods) {}

  /**
   * @param index the pod's ordinal in its cluster (0 starts as the primary)
   */
  record Pod(String name, String ip, int index, String certPem, String keyPem) {
    boolean primary() {
      return index == 0;
    }
  }

  /** A cluster's controller client certificate and CA, for the client side. */
  record ClientMaterial(KeyMaterial controller, CertificateAuthority ca) {}

  /**
   * Plans {@code agents} pods (rounded up to whole clusters) from {@code firstIp} on; {@code
   * clients} receives each cluster's controller material in order.
   */
  static FootprintPlan generate(int agents, String firstIp, List<ClientMaterial> clients) {
    Instant now = Instant.now();
    int[] base = octets(firstIp);
    List<Cluster> clusters = new ArrayList<>();
    int pod = 0;
    for (int c = 0; pod < agents; c++) {
      String cluster = "c" + c;
      CertificateAuthority ca = CertificateAuthority.create(cluster + "-agent-ca", now, VALIDITY);
      clients.add(
          new ClientMaterial(
              ca.issue(CertificateRequest.client(AgentTls.CONTROLLER_NAME, VALIDITY), now), ca));
      List<Pod> pods = new ArrayList<>();
      for (int i = 0; i < PODS_PER_CLUSTER; i++, pod++) {
        String name = cluster + "-" + i;
        KeyMaterial own =
            ca.issue(
                CertificateRequest.server(name, AgentTls.podNames(name, NAMESPACE), VALIDITY), now);
        pods.add(new Pod(name, address(base, pod), i, own.certificatePem(), own.keyPem()));
      }
      clusters.add(new Cluster(cluster, Pem.encode(List.of(ca.certificate())), pods));
    }
    return new FootprintPlan(clusters);
  }

  int agents() {
    return clusters.stream().mapToInt(c -> c.pods().size()).sum();
  }

  void write(Path file) throws IOException {
    Json.mapper().writeValue(file.toFile(), this);
  }

  static FootprintPlan read(Path file) throws IOException {
    return Json.mapper().readValue(file.toFile(), FootprintPlan.class);
  }

  /** The {@code offset}-th address after {@code base} in a /16 (last octet 1 to 254). */
  static String address(int[] base, int offset) {
    int host = (base[2] * 254 + (base[3] - 1)) + offset;
    if (host / 254 > 255) {
      throw new IllegalArgumentException("too many agents for the /16 of the first address");
    }
    return base[0] + "." + base[1] + "." + (host / 254) + "." + (host % 254 + 1);
  }

  private static int[] octets(String ip) {
    String[] parts = ip.split("\\.");
    int[] octets = new int[4];
    for (int i = 0; i < 4; i++) {
      octets[i] = Integer.parseInt(parts[i]);
    }
    return octets;
  }
}
