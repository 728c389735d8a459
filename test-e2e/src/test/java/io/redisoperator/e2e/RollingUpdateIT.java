package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 7: a rolling update (a resources change) under write load, in the safe order and without
 * loss.
 */
@Tag("ci")
class RollingUpdateIT extends RollingReplacementIT {
  @Override
  String scenario() {
    return "rolling-update-under-load";
  }

  @Test
  void replicasFirstThenSwitchoverThenOldPrimaryWithoutLoss() {
    replacedReplicasFirstThenSwitchoverThenOldPrimary(
        () ->
            cluster
                .client()
                .resources(RedisCluster.class)
                .inNamespace(NAMESPACE)
                .withName(CLUSTER)
                .edit(
                    c -> {
                      c.getSpec()
                          .setResources(
                              new ResourceRequirementsBuilder()
                                  .addToRequests("memory", new Quantity("160Mi"))
                                  .addToRequests("cpu", new Quantity("100m"))
                                  .build());
                      return c;
                    }));
  }
}
