package io.redisoperator.e2e.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.sandbox.fault.Link;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IsolationPolicyTest {
  private static final List<String> POD_NETWORK = List.of("10.42.0.0/24");
  private static final List<String> API_SERVER = List.of("10.43.0.1", "172.17.0.3");
  private static final Map<String, String> OPERATOR = OperatorManifests.selector();
  private static final Map<String, String> SAME_CLUSTER_DATA =
      Map.of(
          Labels.CLUSTER, "e2e", Labels.WORKLOAD, Labels.WORKLOAD_DATA, Labels.INSTANCE, "e2e-2");
  private static final Map<String, String> OTHER_CLUSTER_DATA =
      Map.of(
          Labels.CLUSTER,
          "other",
          Labels.WORKLOAD,
          Labels.WORKLOAD_DATA,
          Labels.INSTANCE,
          "other-1");
  private static final Map<String, String> SAME_CLUSTER_SENTINEL =
      Map.of(Labels.CLUSTER, "e2e", Labels.WORKLOAD, Labels.WORKLOAD_SENTINEL);
  private static final Map<String, String> DNS = Map.of("k8s-app", "kube-dns");

  private static NetworkPolicy policy(Set<Link> links) {
    return IsolationPolicy.build("p", "default", "e2e", "e2e-1", links, POD_NETWORK, API_SERVER);
  }

  @Test
  void selectsOnlyTheIsolatedPodByItsInstanceLabel() {
    NetworkPolicy policy = policy(EnumSet.of(Link.CONTROLLER));
    assertEquals(
        Map.of(Labels.CLUSTER, "e2e", Labels.INSTANCE, "e2e-1"),
        policy.getSpec().getPodSelector().getMatchLabels());
  }

  @Test
  void controllerLinkDeniesIngressFromTheOperatorOnly() {
    NetworkPolicy policy = policy(EnumSet.of(Link.CONTROLLER));
    assertEquals(List.of("Ingress"), policy.getSpec().getPolicyTypes());
    List<NetworkPolicyPeer> from = policy.getSpec().getIngress().get(0).getFrom();
    assertFalse(admits(from, OPERATOR));
    assertTrue(admits(from, SAME_CLUSTER_DATA));
    assertTrue(admits(from, DNS));
    assertEquals(POD_NETWORK, ipBlock(from).getExcept());
  }

  @Test
  void peersLinkDeniesTheClustersDataPodsBothWaysButNotOtherPods() {
    NetworkPolicy policy = policy(EnumSet.of(Link.PEERS));
    assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
    List<NetworkPolicyPeer> from = policy.getSpec().getIngress().get(0).getFrom();
    List<NetworkPolicyPeer> to = policy.getSpec().getEgress().get(0).getTo();
    for (List<NetworkPolicyPeer> peers : List.of(from, to)) {
      assertFalse(admits(peers, SAME_CLUSTER_DATA));
      assertTrue(admits(peers, OTHER_CLUSTER_DATA));
      assertTrue(admits(peers, SAME_CLUSTER_SENTINEL));
      assertTrue(admits(peers, DNS));
    }
    assertTrue(admits(from, OPERATOR));
    assertEquals(POD_NETWORK, ipBlock(to).getExcept(), "the API server stays reachable");
  }

  @Test
  void apiServerLinkDeniesEgressToItsAddressesOnly() {
    NetworkPolicy policy = policy(EnumSet.of(Link.API_SERVER));
    assertEquals(List.of("Egress"), policy.getSpec().getPolicyTypes());
    List<NetworkPolicyPeer> to = policy.getSpec().getEgress().get(0).getTo();
    assertTrue(admits(to, SAME_CLUSTER_DATA));
    assertEquals("0.0.0.0/0", ipBlock(to).getCidr());
    assertEquals(List.of("10.42.0.0/24", "10.43.0.1/32", "172.17.0.3/32"), ipBlock(to).getExcept());
  }

  @Test
  void fullIsolationCutsAllThree() {
    NetworkPolicy policy = policy(EnumSet.allOf(Link.class));
    List<NetworkPolicyPeer> from = policy.getSpec().getIngress().get(0).getFrom();
    List<NetworkPolicyPeer> to = policy.getSpec().getEgress().get(0).getTo();
    assertFalse(admits(from, OPERATOR));
    assertFalse(admits(from, SAME_CLUSTER_DATA));
    assertFalse(admits(to, SAME_CLUSTER_DATA));
    assertTrue(admits(from, OTHER_CLUSTER_DATA));
    assertTrue(admits(to, DNS));
    assertTrue(ipBlock(to).getExcept().containsAll(List.of("10.43.0.1/32", "172.17.0.3/32")));
  }

  /**
   * An absent namespaceSelector would mean "this namespace only"; the empty one must reach the API
   * server as {}.
   */
  @Test
  void podPeersSpanAllNamespaces() {
    String json = Serialization.asJson(policy(EnumSet.of(Link.CONTROLLER)));
    assertTrue(json.contains("\"namespaceSelector\":{}"), json);
  }

  @Test
  void refusesAnEmptyCut() {
    assertThrows(IllegalArgumentException.class, () -> policy(EnumSet.noneOf(Link.class)));
  }

  /**
   * The pod-selector semantics of a rule's peers (OR of peers; each a conjunction of NotIn
   * requirements).
   */
  private static boolean admits(List<NetworkPolicyPeer> peers, Map<String, String> podLabels) {
    return peers.stream()
        .filter(p -> p.getPodSelector() != null)
        .anyMatch(
            p -> {
              assertTrue(
                  p.getPodSelector().getMatchLabels() == null
                      || p.getPodSelector().getMatchLabels().isEmpty());
              return p.getPodSelector().getMatchExpressions().stream()
                  .allMatch(
                      r -> {
                        assertEquals("NotIn", r.getOperator());
                        return !r.getValues().contains(podLabels.get(r.getKey()));
                      });
            });
  }

  private static io.fabric8.kubernetes.api.model.networking.v1.IPBlock ipBlock(
      List<NetworkPolicyPeer> peers) {
    return peers.stream()
        .filter(p -> p.getIpBlock() != null)
        .findFirst()
        .orElseThrow()
        .getIpBlock();
  }
}
