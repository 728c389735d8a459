package io.redisoperator.sandbox.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The served instances by address and by cluster, so a replica finds its primary and a primary
 * lists its replicas without scanning the fleet.
 */
public final class FleetMembers {
  private final Map<String, SimulatedInstance> byIp = new ConcurrentHashMap<>();

  /** Members of each cluster (namespace/name). */
  private final Map<String, Set<SimulatedInstance>> clusters = new ConcurrentHashMap<>();

  public void add(String namespace, String cluster, SimulatedInstance instance) {
    byIp.put(instance.ip(), instance);
    members(namespace, cluster).add(instance);
  }

  public void remove(String namespace, String cluster, SimulatedInstance instance) {
    byIp.remove(instance.ip(), instance);
    members(namespace, cluster).remove(instance);
  }

  /** The peers an instance of this cluster sees. */
  public SimulatedInstance.Peers peers(String namespace, String cluster) {
    return new ClusterPeers(members(namespace, cluster));
  }

  private Set<SimulatedInstance> members(String namespace, String cluster) {
    return clusters.computeIfAbsent(namespace + "/" + cluster, k -> ConcurrentHashMap.newKeySet());
  }

  /**
   * A cluster's members, for replicas finding their primary and primaries listing their replicas.
   */
  private final class ClusterPeers implements SimulatedInstance.Peers {
    private final Set<SimulatedInstance> members;

    ClusterPeers(Set<SimulatedInstance> members) {
      this.members = members;
    }

    @Override
    public Optional<SimulatedInstance> byIp(String ip) {
      return Optional.ofNullable(byIp.get(ip));
    }

    @Override
    public void changed() {
      members.forEach(member -> member.waiters().changed());
    }

    @Override
    public List<SimulatedInstance> followersOf(String ip) {
      List<SimulatedInstance> followers = new ArrayList<>();
      for (SimulatedInstance member : members) {
        if (ip.equals(member.masterHost())) {
          followers.add(member);
        }
      }
      return followers;
    }
  }
}
