package io.redisoperator.sandbox.controlplane;

import io.redisoperator.sandbox.network.SandboxNetwork;
import io.redisoperator.sandbox.state.StateDir;

/**
 * The block of the sandbox network's service range ({@link SandboxNetwork#serviceBlocks()} aligned
 * /24s, usually one) from which this sandbox's API server allocates cluster IPs. Claimed
 * machine-wide through the network address of each /24 (x.y.z.0, which no address pool hands out),
 * so two sandboxes on one machine never allocate the same cluster IP; released with the sandbox's
 * other claims.
 */
public record ServiceRange(String cidr, String firstAddress) {

  public static ServiceRange claim(StateDir state, SandboxNetwork network) {
    int first = thirdOctet(network.firstServiceIp());
    int last = thirdOctet(network.lastServiceIp());
    int size = network.serviceBlocks();
    for (int block = (first + size - 1) / size * size; block + size - 1 <= last; block += size) {
      if (claimAll(state, block, size)) {
        String base = "127.0." + block + ".";
        return new ServiceRange(
            base + "0/" + (24 - Integer.numberOfTrailingZeros(size)), base + "1");
      }
    }
    throw new IllegalStateException(
        "no free /24 for service cluster IPs between "
            + network.firstServiceIp()
            + " and "
            + network.lastServiceIp());
  }

  /** Claims every /24 of the block, or none. */
  private static boolean claimAll(StateDir state, int block, int size) {
    for (int i = 0; i < size; i++) {
      if (!state.claimAddress("127.0." + (block + i) + ".0")) {
        for (int j = 0; j < i; j++) {
          state.releaseAddress("127.0." + (block + j) + ".0");
        }
        return false;
      }
    }
    return true;
  }

  private static int thirdOctet(String address) {
    String[] octets = address.split("\\.");
    if (octets.length != 4 || !"127".equals(octets[0]) || !"0".equals(octets[1])) {
      throw new IllegalArgumentException("service range must be in 127.0.0.0/16: " + address);
    }
    return Integer.parseInt(octets[2]);
  }
}
