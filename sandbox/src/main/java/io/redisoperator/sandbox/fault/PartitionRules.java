package io.redisoperator.sandbox.fault;

import io.redisoperator.protocol.agent.AgentApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The iptables matches (one DROP rule each, in OUTPUT, where loopback packets pass once) that cut
 * links of one pod address. Every link is matched on the pod's own address and port on one end,
 * never on where a client's connection happens to come from, except where the source is fixed by
 * construction (the controller on 127.0.0.1, Redis replication on the pod IP via bind-source-addr).
 * Rules drop packets of established connections too, so keep-alive connections stall like on a real
 * partition.
 *
 * @param apiServerPort the port of each pod's own API server endpoint on its pod IP (see the
 *     kubelet)
 * @param peerRange the pod address range, e.g. {@code 127.0.100.2-127.0.199.254}
 */
public record PartitionRules(int apiServerPort, String peerRange) {

  public List<List<String>> matches(String podIp, Set<Link> links) {
    List<List<String>> rules = new ArrayList<>();
    if (links.contains(Link.CONTROLLER)) {
      // The controller calls http://<podIP>:8000 without binding a local address: Linux sources a
      // connection to a
      // local address from 127.0.0.1 (the loopback route's preferred source).
      String agentPort = String.valueOf(AgentApi.PORT);
      rules.add(List.of("-p", "tcp", "-s", "127.0.0.1", "-d", podIp, "--dport", agentPort));
      rules.add(List.of("-p", "tcp", "-s", podIp, "--sport", agentPort, "-d", "127.0.0.1"));
    }
    if (links.contains(Link.API_SERVER)) {
      // By destination only: the pod's client reaches the API server solely through
      // <podIP>:<apiServerPort>, and
      // its source address is whatever the HTTP client picks (127.0.0.1 in practice).
      String api = String.valueOf(apiServerPort);
      rules.add(List.of("-p", "tcp", "-d", podIp, "--dport", api));
      rules.add(List.of("-p", "tcp", "-s", podIp, "--sport", api));
    }
    if (links.contains(Link.PEERS)) {
      rules.add(List.of("-s", podIp, "!", "-d", podIp, "-m", "iprange", "--dst-range", peerRange));
      rules.add(List.of("-d", podIp, "!", "-s", podIp, "-m", "iprange", "--src-range", peerRange));
    }
    return rules;
  }
}
