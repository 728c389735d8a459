package io.redisoperator.sandbox.network;

/**
 * The loopback addresses one sandbox uses. Address claims are machine-wide, so two sandboxes never
 * share an address even with the same ranges; separate ranges keep a benchmark's pods out of the
 * tests' range (and out of the peer range a test's partition cuts).
 *
 * @param nodeIp the node: the kubelet's probes and the service proxy's upstream connections come
 *     from it; outside the pod range, so a partition between pods never cuts the node off
 * @param firstPodIp first address of the pod range (one fresh address per pod incarnation)
 * @param lastPodIp last address of the pod range
 * @param firstServiceIp first Service cluster IP
 * @param lastServiceIp last Service cluster IP
 * @param serviceBlocks how many /24s of the service range one sandbox's API server allocates from
 *     (a power of two: one for tests, more for the scale benchmark's thousands of Services)
 */
public record SandboxNetwork(
    String nodeIp,
    String firstPodIp,
    String lastPodIp,
    String firstServiceIp,
    String lastServiceIp,
    int serviceBlocks) {

  /** A network whose API server allocates Service cluster IPs from one /24. */
  public SandboxNetwork(
      String nodeIp,
      String firstPodIp,
      String lastPodIp,
      String firstServiceIp,
      String lastServiceIp) {
    this(nodeIp, firstPodIp, lastPodIp, firstServiceIp, lastServiceIp, 1);
  }

  public SandboxNetwork {
    if (serviceBlocks < 1 || Integer.bitCount(serviceBlocks) != 1) {
      throw new IllegalArgumentException("serviceBlocks must be a power of two: " + serviceBlocks);
    }
    int node = AddressPool.toIndex(nodeIp);
    int firstPod = AddressPool.toIndex(firstPodIp);
    int lastPod = AddressPool.toIndex(lastPodIp);
    int firstService = AddressPool.toIndex(firstServiceIp);
    int lastService = AddressPool.toIndex(lastServiceIp);
    if (firstPod > lastPod || firstService > lastService) {
      throw new IllegalArgumentException("empty address range in " + this);
    }
    if (node >= firstPod && node <= lastPod) {
      throw new IllegalArgumentException(
          "node address " + nodeIp + " inside the pod range " + firstPodIp + "-" + lastPodIp);
    }
    if (firstService <= lastPod && firstPod <= lastService) {
      throw new IllegalArgumentException("pod and service ranges overlap in " + this);
    }
  }

  /** The pod range as iptables' iprange match spells it. */
  public String podRange() {
    return firstPodIp + "-" + lastPodIp;
  }
}
