package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.redisoperator.protocol.crd.RedisCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Dependents whose controller owner is deleted are deleted too (pods gracefully, through the
 * kubelet).
 */
class GarbageCollectorIT extends SandboxIT {
  @Test
  void deletesDependentsOfADeletedOwnerAndKeepsOthers() {
    RedisCluster owner = new RedisCluster();
    owner.getMetadata().setName("gc-owner");
    owner.getMetadata().setNamespace("default");
    owner.getSpec().setInstances(1);
    owner = client.resource(owner).create();
    var ref =
        new OwnerReferenceBuilder()
            .withApiVersion(RedisCluster.API_VERSION)
            .withKind(RedisCluster.KIND)
            .withName("gc-owner")
            .withUid(owner.getMetadata().getUid())
            .withController(true)
            .build();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("owned")
                .withNamespace("default")
                .withOwnerReferences(ref)
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("unowned")
                .withNamespace("default")
                .endMetadata()
                .addToData("k", "v")
                .build())
        .create();
    client
        .resource(
            new PodBuilder(TestPods.webPod("owned-pod", "gc"))
                .editMetadata()
                .withOwnerReferences(ref)
                .endMetadata()
                .build())
        .create();
    TestPods.await(client, "owned-pod", TestPods::isReady);
    TestPods.holds(
        Duration.ofSeconds(3),
        () -> client.configMaps().inNamespace("default").withName("owned").get() != null,
        "owner alive: kept");

    client.resources(RedisCluster.class).inNamespace("default").withName("gc-owner").delete();
    // The controller-manager's garbage collector learns a CRD's kind at its next discovery (every
    // 30 s).
    TestPods.eventually(
        Duration.ofSeconds(60),
        () -> client.configMaps().inNamespace("default").withName("owned").get() == null,
        "configmap collected");
    TestPods.eventually(
        Duration.ofSeconds(20),
        () -> client.pods().inNamespace("default").withName("owned-pod").get() == null,
        "pod collected");
    ConfigMap unowned = client.configMaps().inNamespace("default").withName("unowned").get();
    assertNotNull(unowned);
  }
}
