package io.redisoperator.sandbox.network;

import io.redisoperator.sandbox.state.StateDir;

/**
 * Hands out loopback addresses from a range, never giving the same one twice in a row: a pod
 * incarnation gets an address no earlier incarnation used recently, like a real pod network.
 * Addresses are claimed in the shared state directory, so two sandboxes on one machine never hand
 * out the same address.
 */
public final class AddressPool {
  private final StateDir state;
  private final int first;
  private final int last;
  private int next;

  /**
   * @param firstAddress e.g. 127.0.100.2
   * @param lastAddress e.g. 127.0.199.254 (third and fourth octets vary; the first two must be
   *     127.0)
   */
  public AddressPool(StateDir state, String firstAddress, String lastAddress) {
    this.state = state;
    this.first = toIndex(firstAddress);
    this.last = toIndex(lastAddress);
    this.next = first;
  }

  /** Claims the next free address of the range. */
  public synchronized String allocate() {
    for (int tries = 0; tries <= last - first; tries++) {
      int candidate = next;
      next = next >= last ? first : next + 1;
      if ((candidate & 0xff) == 0 || (candidate & 0xff) == 255) {
        continue;
      }
      String ip = toAddress(candidate);
      if (state.claimAddress(ip)) {
        return ip;
      }
    }
    throw new IllegalStateException(
        "no free loopback address between " + toAddress(first) + " and " + toAddress(last));
  }

  public void release(String ip) {
    state.releaseAddress(ip);
  }

  static int toIndex(String address) {
    String[] octets = address.split("\\.");
    if (octets.length != 4 || !octets[0].equals("127")) {
      throw new IllegalArgumentException("not a 127.x.y.z address: " + address);
    }
    return Integer.parseInt(octets[1]) << 16
        | Integer.parseInt(octets[2]) << 8
        | Integer.parseInt(octets[3]);
  }

  static String toAddress(int index) {
    return "127." + (index >> 16 & 0xff) + "." + (index >> 8 & 0xff) + "." + (index & 0xff);
  }
}
