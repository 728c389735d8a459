package io.redisoperator.e2e.k3s;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.sandbox.fault.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The NetworkPolicy that cuts links of one data pod on a real cluster: the counterpart of the
 * sandbox's iptables rules. A NetworkPolicy can only allow, so a cut link is expressed as
 * "everything the pod may still exchange traffic with":
 *
 * <ul>
 *   <li>{@link Link#CONTROLLER}: no ingress from the operator's pods, on any port (the sandbox cuts
 *       the agent port only; the controller talks to nothing else in the pod, and the agent never
 *       calls the controller).
 *   <li>{@link Link#PEERS}: no ingress from and no egress to the cluster's data pods (replication
 *       both ways, and agent-to-agent calls).
 *   <li>{@link Link#API_SERVER}: no egress to the API server's addresses (its endpoints and the
 *       {@code kubernetes} Service IP; policies are enforced after the Service address is
 *       translated, so the endpoints are what counts).
 * </ul>
 *
 * Everything else stays allowed: other pods (DNS included) by pod selectors, and addresses outside
 * the pod network by an ipBlock that excludes the pod network (ipBlocks would otherwise also match
 * pod addresses).
 *
 * <p>What a policy cannot cut, on k3s's embedded kube-router: traffic from the node itself (kubelet
 * probes are always admitted, so the isolated pod stays Ready; on the sandbox the kubelet shares
 * the controller's source address), the pod's loopback, and port-forwards, which enter the pod's
 * network namespace on localhost (the test reaches the isolated Redis that way, on purpose).
 * Connections already established are kept by the policy engine; the fault injector removes them
 * from conntrack.
 */
final class IsolationPolicy {
  /** The operator's pods, in any namespace: the chart's selector label. */
  static final Map<String, String> OPERATOR_POD_LABELS =
      Map.of(OperatorManifests.NAME_LABEL, OperatorManifests.NAME);

  static final String EVERYWHERE = "0.0.0.0/0";

  private IsolationPolicy() {}

  /**
   * @param podNetwork the pod address ranges (the nodes' podCIDRs)
   * @param apiServerAddresses the API server's addresses as pods see them (endpoint IPs and the
   *     Service IP)
   */
  static NetworkPolicy build(
      String name,
      String namespace,
      String cluster,
      String pod,
      Set<Link> links,
      List<String> podNetwork,
      List<String> apiServerAddresses) {
    if (links.isEmpty()) {
      throw new IllegalArgumentException("no link to cut");
    }
    Map<String, String> dataPods =
        Map.of(Labels.CLUSTER, cluster, Labels.WORKLOAD, Labels.WORKLOAD_DATA);
    List<Map<String, String>> ingressExcluded = new ArrayList<>();
    if (links.contains(Link.CONTROLLER)) {
      ingressExcluded.add(OPERATOR_POD_LABELS);
    }
    if (links.contains(Link.PEERS)) {
      ingressExcluded.add(dataPods);
    }
    List<Map<String, String>> egressExcluded =
        links.contains(Link.PEERS) ? List.of(dataPods) : List.of();
    List<String> egressOutsideExcept = new ArrayList<>(podNetwork);
    if (links.contains(Link.API_SERVER)) {
      apiServerAddresses.stream()
          .map(ip -> ip + "/32")
          .distinct()
          .forEach(egressOutsideExcept::add);
    }

    NetworkPolicyBuilder policy =
        new NetworkPolicyBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withPodSelector(
                new LabelSelectorBuilder()
                    .withMatchLabels(Map.of(Labels.CLUSTER, cluster, Labels.INSTANCE, pod))
                    .build())
            .endSpec();
    List<String> types = new ArrayList<>();
    if (!ingressExcluded.isEmpty()) {
      types.add("Ingress");
      policy
          .editSpec()
          .addToIngress(
              new NetworkPolicyIngressRuleBuilder()
                  .withFrom(
                      Stream.concat(
                              podsExcept(ingressExcluded).stream(), Stream.of(outside(podNetwork)))
                          .toList())
                  .build())
          .endSpec();
    }
    if (links.contains(Link.PEERS) || links.contains(Link.API_SERVER)) {
      types.add("Egress");
      policy
          .editSpec()
          .addToEgress(
              new NetworkPolicyEgressRuleBuilder()
                  .withTo(
                      Stream.concat(
                              podsExcept(egressExcluded).stream(),
                              Stream.of(outside(egressOutsideExcept)))
                          .toList())
                  .build())
          .endSpec();
    }
    return policy.editSpec().withPolicyTypes(types).endSpec().build();
  }

  /**
   * Peers matching every pod in every namespace except those matching any of {@code excluded} (each
   * a conjunction of labels). "Not (a and b)" is "not a, or not b", so the result is one peer per
   * way of picking one label of each excluded group, each peer requiring all its picks to be
   * absent; peers in a rule are OR-ed.
   */
  static List<NetworkPolicyPeer> podsExcept(List<Map<String, String>> excluded) {
    List<List<Map.Entry<String, String>>> picks = List.of(List.of());
    for (Map<String, String> group : excluded) {
      List<List<Map.Entry<String, String>>> next = new ArrayList<>();
      for (List<Map.Entry<String, String>> pick : picks) {
        for (Map.Entry<String, String> label : group.entrySet()) {
          List<Map.Entry<String, String>> extended = new ArrayList<>(pick);
          extended.add(label);
          next.add(extended);
        }
      }
      picks = next;
    }
    return picks.stream()
        .map(
            pick ->
                new NetworkPolicyPeerBuilder()
                    .withNamespaceSelector(new LabelSelector())
                    .withPodSelector(
                        new LabelSelectorBuilder()
                            .withMatchExpressions(
                                pick.stream()
                                    .map(
                                        label ->
                                            new LabelSelectorRequirementBuilder()
                                                .withKey(label.getKey())
                                                .withOperator("NotIn")
                                                .withValues(label.getValue())
                                                .build())
                                    .toList())
                            .build())
                    .build())
        .toList();
  }

  private static NetworkPolicyPeer outside(List<String> except) {
    return new NetworkPolicyPeerBuilder()
        .withNewIpBlock()
        .withCidr(EVERYWHERE)
        .withExcept(except)
        .endIpBlock()
        .build();
  }
}
