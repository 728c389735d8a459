package io.redisoperator.protocol.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Loads each committed CRD as the API server would and checks what users and kubectl rely on. */
class CrdDefinitionTest {
  /** Short names of built-in resources that ours must never shadow. */
  static final Set<String> BUILT_IN_SHORT_NAMES =
      Set.of(
          "rc", "po", "svc", "cm", "ns", "no", "pv", "pvc", "sa", "ep", "ev", "ds", "deploy", "rs",
          "sts", "hpa", "pdb", "ing", "netpol", "sc", "crd", "cj", "csr", "limits", "quota", "psp",
          "pc");

  static CustomResourceDefinition load(String file) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of("../charts/redis-operator/crds", file))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  static JSONSchemaProps prop(JSONSchemaProps schema, String... path) {
    JSONSchemaProps current = schema;
    for (String p : path) {
      current = current.getProperties().get(p);
      assertNotNull(current, "schema has no property " + String.join(".", path));
    }
    return current;
  }

  @Test
  void redisClusterCrdHasNamesStatusAndPrinterColumns() throws IOException {
    CustomResourceDefinition crd = load("redisclusters.redis.io-v1.yml");
    assertEquals("redis.io", crd.getSpec().getGroup());
    assertEquals("Namespaced", crd.getSpec().getScope());
    assertEquals("RedisCluster", crd.getSpec().getNames().getKind());
    assertEquals("redisclusters", crd.getSpec().getNames().getPlural());
    assertEquals(List.of("rdc", "redisc"), crd.getSpec().getNames().getShortNames());
    crd.getSpec()
        .getNames()
        .getShortNames()
        .forEach(s -> assertTrue(!BUILT_IN_SHORT_NAMES.contains(s), s));

    CustomResourceDefinitionVersion v1 = crd.getSpec().getVersions().get(0);
    assertEquals("v1", v1.getName());
    assertTrue(v1.getServed() && v1.getStorage());
    assertNotNull(v1.getSubresources().getStatus(), "status subresource");
    Set<String> columns =
        v1.getAdditionalPrinterColumns().stream()
            .map(CustomResourceColumnDefinition::getName)
            .collect(Collectors.toSet());
    assertEquals(Set.of("Instances", "Ready", "Phase", "Primary", "Age"), columns);
    assertEquals(
        ".spec.instances",
        v1.getAdditionalPrinterColumns().stream()
            .filter(c -> c.getName().equals("Instances"))
            .findFirst()
            .orElseThrow()
            .getJsonPath());
  }

  @Test
  void redisClusterSchemaCarriesConstraints() throws IOException {
    JSONSchemaProps schema =
        load("redisclusters.redis.io-v1.yml")
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema();
    JSONSchemaProps spec = prop(schema, "spec");
    assertTrue(spec.getRequired().contains("instances"));
    JSONSchemaProps instances = prop(schema, "spec", "instances");
    assertEquals(1.0, instances.getMinimum());
    assertEquals((double) RedisClusterSpec.MAX_INSTANCES, instances.getMaximum());
    Set<String> modes =
        prop(schema, "spec", "mode").getEnum().stream()
            .map(n -> n.asText())
            .collect(Collectors.toSet());
    assertEquals(Set.of("standalone", "sentinel", "cluster"), modes);
    Set<String> storageTypes =
        prop(schema, "spec", "storage", "type").getEnum().stream()
            .map(n -> n.asText())
            .collect(Collectors.toSet());
    assertEquals(Set.of("pvc", "emptyDir"), storageTypes);
    assertEquals(
        StorageSpec.QUANTITY_PATTERN, prop(schema, "spec", "storage", "size").getPattern());
    assertEquals(200.0, prop(schema, "spec", "failover", "pollIntervalMillis").getMinimum());
    assertEquals(2.0, prop(schema, "spec", "failover", "failureThreshold").getMinimum());
    Set<String> strategies =
        prop(schema, "spec", "primaryUpdateStrategy").getEnum().stream()
            .map(n -> n.asText())
            .collect(Collectors.toSet());
    assertEquals(Set.of("unsupervised", "supervised"), strategies);
    Set<String> phases =
        prop(schema, "status", "phase").getEnum().stream()
            .map(n -> n.asText())
            .collect(Collectors.toSet());
    assertTrue(
        phases.containsAll(
            Set.of("Creating", "Healthy", "Degraded", "FailingOver", "WaitingForUser")));
  }

  @Test
  void backupCrdsAreNamespacedWithStatus() throws IOException {
    for (String file :
        List.of("redisbackups.redis.io-v1.yml", "redisscheduledbackups.redis.io-v1.yml")) {
      CustomResourceDefinition crd = load(file);
      assertEquals("redis.io", crd.getSpec().getGroup(), file);
      assertEquals("Namespaced", crd.getSpec().getScope(), file);
      assertNotNull(crd.getSpec().getVersions().get(0).getSubresources().getStatus(), file);
      crd.getSpec()
          .getNames()
          .getShortNames()
          .forEach(s -> assertTrue(!BUILT_IN_SHORT_NAMES.contains(s), s));
    }
    JSONSchemaProps scheduled =
        load("redisscheduledbackups.redis.io-v1.yml")
            .getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema();
    assertTrue(prop(scheduled, "spec").getRequired().containsAll(List.of("cluster", "schedule")));
  }
}
