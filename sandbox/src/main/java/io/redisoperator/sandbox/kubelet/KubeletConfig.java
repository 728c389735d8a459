package io.redisoperator.sandbox.kubelet;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the kubelet runs pods.
 *
 * @param nodeAddress the "node" loopback address: probes and proxied connections come from it
 * @param apiServerUrl the API server; pods reach it through their own endpoint (see {@link
 *     Kubelet#POD_API_SERVER_PORT})
 * @param operatorJar what {@code /redis-operator} (the image's entrypoint) runs
 * @param javaCommand the java executable for the operator jar
 * @param jvmFlags small-heap, fast-start flags for pod JVMs
 * @param projectedUpdateDelay how long after a Secret/ConfigMap change its projected files are
 *     swapped
 * @param crashBackoffCap longest wait before restarting a crashed container (first restart is
 *     immediate)
 * @param logsDir where container logs go; kept after shutdown when outside the state directory
 */
public record KubeletConfig(
    String nodeAddress,
    String apiServerUrl,
    Path operatorJar,
    String javaCommand,
    List<String> jvmFlags,
    Duration projectedUpdateDelay,
    Duration crashBackoffCap,
    Path logsDir) {

  /**
   * Flags for the many small JVMs a sandbox runs on a shared two-core machine: C1 only, serial GC,
   * small heap.
   */
  public static final List<String> DEFAULT_JVM_FLAGS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xss512k",
          "-Xms32m",
          "-Xmx192m",
          "-XX:ReservedCodeCacheSize=64m",
          "-Xshare:auto",
          "-Djava.net.preferIPv4Stack=true");

  /** Where a pod's API server endpoint forwards to: host and port of {@link #apiServerUrl}. */
  public InetSocketAddress apiServerAddress() {
    URI uri = URI.create(apiServerUrl);
    if (uri.getHost() == null || uri.getPort() < 0) {
      throw new IllegalArgumentException("API server URL without host and port: " + apiServerUrl);
    }
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  public static String currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** This config with {@code more} after its JVM flags. */
  public KubeletConfig withMoreJvmFlags(List<String> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<String> flags = new java.util.ArrayList<>(jvmFlags);
    flags.addAll(more);
    return new KubeletConfig(
        nodeAddress,
        apiServerUrl,
        operatorJar,
        javaCommand,
        List.copyOf(flags),
        projectedUpdateDelay,
        crashBackoffCap,
        logsDir);
  }
}
