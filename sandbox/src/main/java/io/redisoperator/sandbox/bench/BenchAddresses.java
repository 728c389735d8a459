package io.redisoperator.sandbox.bench;

/**
 * Loopback addresses of the benchmark, all inside 127.0.60.0–127.0.69.255 (the range reserved for benchmarks): the
 * writing client, the API server, and one fresh address per pod incarnation, as a recreated pod gets a new IP.
 */
final class BenchAddresses {
  /** Source address of the writer and the probes: the one address a partition leaves connected. */
  static final String CLIENT_IP = "127.0.60.1";
  /** The API server the agents read their RedisCluster from. */
  static final String API_SERVER_IP = "127.0.60.2";

  private static final int FIRST_POD_HOST = 60 * 256 + 10;
  private static final int LAST_POD_HOST = 69 * 256 + 254;

  private int next = FIRST_POD_HOST;

  synchronized String nextPodIp() {
    if (next > LAST_POD_HOST) {
      throw new IllegalStateException("benchmark pod addresses exhausted (127.0.60.10-127.0.69.254)");
    }
    int host = next++;
    if (host % 256 == 0 || host % 256 == 255) {
      return nextPodIp();
    }
    return "127.0." + (host / 256) + "." + (host % 256);
  }
}
