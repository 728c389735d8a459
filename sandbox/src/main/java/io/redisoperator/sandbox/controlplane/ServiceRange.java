package io.redisoperator.sandbox.controlplane;

import io.redisoperator.sandbox.network.SandboxNetwork;
import io.redisoperator.sandbox.state.StateDir;

/**
 * The /24 of the sandbox network's service range from which this sandbox's API server allocates cluster IPs. Claimed
 * machine-wide through its network address (x.y.z.0, which no address pool hands out), so two sandboxes on one
 * machine never allocate the same cluster IP; released with the sandbox's other claims.
 */
public record ServiceRange(String cidr, String firstAddress) {

  public static ServiceRange claim(StateDir state, SandboxNetwork network) {
    int first = thirdOctet(network.firstServiceIp());
    int last = thirdOctet(network.lastServiceIp());
    for (int block = first; block <= last; block++) {
      String base = "127.0." + block + ".";
      if (state.claimAddress(base + "0")) {
        return new ServiceRange(base + "0/24", base + "1");
      }
    }
    throw new IllegalStateException("no free /24 for service cluster IPs between " + network.firstServiceIp()
        + " and " + network.lastServiceIp());
  }

  private static int thirdOctet(String address) {
    String[] octets = address.split("\\.");
    if (octets.length != 4 || !"127".equals(octets[0]) || !"0".equals(octets[1])) {
      throw new IllegalArgumentException("service range must be in 127.0.0.0/16: " + address);
    }
    return Integer.parseInt(octets[2]);
  }
}
