package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.HttpURLConnection;

/** {@link NodeApi} through a fabric8 client of its own, so heartbeats queue behind nothing else. */
final class FabricNodeApi implements NodeApi {
  private final KubernetesClient client;

  FabricNodeApi(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public void register(Node node) {
    client.nodes().resource(node).createOr(existing -> existing.patch());
  }

  @Override
  public void writeStatus(String node, NodeStatus status) {
    client
        .nodes()
        .withName(node)
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"status\":" + Serialization.asJson(status) + "}");
  }

  /**
   * A merge patch of the spec: no read first and no conflict to retry (the create-or-edit it
   * replaces took three requests, and a loaded API server made each one late).
   */
  @Override
  public void renewLease(String node, LeaseSpec spec) {
    try {
      client
          .leases()
          .inNamespace(NodeRegistration.LEASE_NAMESPACE)
          .withName(node)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":" + Serialization.asJson(spec) + "}");
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
      client
          .leases()
          .inNamespace(NodeRegistration.LEASE_NAMESPACE)
          .resource(
              new LeaseBuilder()
                  .withNewMetadata()
                  .withName(node)
                  .withNamespace(NodeRegistration.LEASE_NAMESPACE)
                  .endMetadata()
                  .withSpec(spec)
                  .build())
          .create();
    }
  }
}
