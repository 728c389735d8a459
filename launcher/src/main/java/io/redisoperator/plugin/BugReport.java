package io.redisoperator.plugin;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.Labels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code kubectl redis report}: a zip of what a bug report needs: the RedisCluster, its pods, PVCs,
 * Services, ConfigMaps, Secrets with every value replaced by {@code <redacted>}, backups, events,
 * and the operator's and the Redis pods' logs.
 */
final class BugReport {
  static final String REDACTED = "<redacted>";
  private static final int LOG_LINES = 2000;

  private final KubernetesClient client;
  private final String namespace;

  BugReport(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** Writes the zip; returns the number of entries. */
  int write(String cluster, String operatorNamespace, OutputStream target) throws IOException {
    Map<String, String> entries = new TreeMap<>();
    RedisCluster rc =
        client.resources(RedisCluster.class).inNamespace(namespace).withName(cluster).get();
    if (rc == null) {
      throw new IllegalArgumentException(
          "RedisCluster " + namespace + "/" + cluster + " not found");
    }
    entries.put("rediscluster.yaml", Serialization.asYaml(rc));
    List<Pod> pods =
        client.pods().inNamespace(namespace).withLabel(Labels.CLUSTER, cluster).list().getItems();
    entries.put("pods.yaml", yaml(pods));
    entries.put(
        "pvcs.yaml",
        yaml(
            client
                .persistentVolumeClaims()
                .inNamespace(namespace)
                .withLabel(Labels.CLUSTER, cluster)
                .list()
                .getItems()));
    entries.put(
        "services.yaml",
        yaml(
            client
                .services()
                .inNamespace(namespace)
                .withLabel(Labels.CLUSTER, cluster)
                .list()
                .getItems()));
    entries.put(
        "configmaps.yaml",
        yaml(
            client
                .configMaps()
                .inNamespace(namespace)
                .withLabel(Labels.CLUSTER, cluster)
                .list()
                .getItems()));
    entries.put(
        "secrets-redacted.yaml",
        yaml(
            client
                .secrets()
                .inNamespace(namespace)
                .withLabel(Labels.CLUSTER, cluster)
                .list()
                .getItems()
                .stream()
                .map(BugReport::redact)
                .toList()));
    entries.put(
        "redisbackups.yaml",
        yaml(
            client.resources(RedisBackup.class).inNamespace(namespace).list().getItems().stream()
                .filter(
                    b ->
                        b.getSpec() != null
                            && b.getSpec().getCluster() != null
                            && cluster.equals(b.getSpec().getCluster().getName()))
                .toList()));
    entries.put(
        "events.yaml",
        yaml(
            client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(
                    e ->
                        e.getInvolvedObject() != null
                            && e.getInvolvedObject().getName() != null
                            && (e.getInvolvedObject().getName().equals(cluster)
                                || e.getInvolvedObject().getName().startsWith(cluster + "-")))
                .toList()));
    for (Pod pod : pods) {
      entries.put(
          "logs/" + pod.getMetadata().getName() + ".log",
          log(namespace, pod.getMetadata().getName()));
    }
    for (Pod op :
        client
            .pods()
            .inNamespace(operatorNamespace)
            .withLabel("app.kubernetes.io/name", "redis-operator")
            .list()
            .getItems()) {
      entries.put(
          "logs/operator-" + op.getMetadata().getName() + ".log",
          log(operatorNamespace, op.getMetadata().getName()));
    }
    try (ZipOutputStream zip = new ZipOutputStream(target)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(cluster + "/" + e.getKey()));
        zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return entries.size();
  }

  static Secret redact(Secret secret) {
    Secret copy = Serialization.clone(secret);
    if (copy.getData() != null) {
      copy.getData().replaceAll((k, v) -> REDACTED);
    }
    if (copy.getStringData() != null) {
      copy.getStringData().replaceAll((k, v) -> REDACTED);
    }
    if (copy.getMetadata().getAnnotations() != null) {
      // kubectl apply keeps the whole object, values included, in this annotation.
      copy.getMetadata()
          .getAnnotations()
          .remove("kubectl.kubernetes.io/last-applied-configuration");
    }
    copy.getMetadata().setManagedFields(null);
    return copy;
  }

  private String log(String ns, String pod) {
    try {
      return client.pods().inNamespace(ns).withName(pod).tailingLines(LOG_LINES).getLog();
    } catch (RuntimeException e) {
      return "(no log: " + e.getMessage() + ")\n";
    }
  }

  private static String yaml(List<? extends HasMetadata> items) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata item : items) {
      out.append(Serialization.asYaml(item));
    }
    return out.toString();
  }
}
