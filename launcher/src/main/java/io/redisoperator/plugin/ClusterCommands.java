package io.redisoperator.plugin;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.redisoperator.protocol.crd.ClusterReference;
import io.redisoperator.protocol.crd.ObjectStore;
import io.redisoperator.protocol.crd.RedisBackup;
import io.redisoperator.protocol.crd.RedisBackupSpec;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisScheduledBackup;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.ResourceNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What each plugin command asks of the API server. Every command is a request the operator already
 * understands (an annotation on the RedisCluster, a RedisBackup): the plugin never talks to agents
 * or Redis to change anything. Annotation edits are read-modify-write with the resource version, so
 * a concurrent edit is not lost.
 */
final class ClusterCommands {
  private static final DateTimeFormatter BACKUP_SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;

  ClusterCommands(KubernetesClient client, String namespace, Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
  }

  RedisCluster get(String cluster) {
    RedisCluster found = resource(cluster).get();
    if (found == null) {
      throw new IllegalArgumentException(
          "RedisCluster " + namespace + "/" + cluster + " not found");
    }
    return found;
  }

  /**
   * Requests a switchover; returns the target (the least-behind healthy replica when {@code to} is
   * null).
   */
  String switchover(String cluster, String to) {
    RedisCluster current = get(cluster);
    String target =
        to != null
            ? to
            : SwitchoverTarget.choose(current)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "no ready, linked, unfenced replica to switch over to"));
    if (current.getStatus() != null && target.equals(current.getStatus().getCurrentPrimary())) {
      throw new IllegalArgumentException(target + " is already the primary");
    }
    annotate(cluster, Annotations.SWITCHOVER_TO, target);
    return target;
  }

  /** Returns the annotation's new value (null: removed). */
  String fence(String cluster, String pod) {
    return editAnnotation(
        cluster, Annotations.FENCED_INSTANCES, current -> FenceList.fence(current, pod));
  }

  String unfence(String cluster, String pod) {
    return editAnnotation(
        cluster, Annotations.FENCED_INSTANCES, current -> FenceList.unfence(current, pod));
  }

  void hibernate(String cluster, boolean on) {
    annotate(cluster, Annotations.HIBERNATION, on ? "on" : "off");
  }

  /**
   * Requests a rolling restart: the time, to the second, in the cluster's {@link
   * Annotations#RESTARTED_AT}; the operator recreates every pod whose hash predates it, replicas
   * first and the primary last after a switchover.
   */
  String restart(String cluster) {
    String now =
        DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    annotate(cluster, Annotations.RESTARTED_AT, now);
    return now;
  }

  /**
   * Creates a RedisBackup of the cluster named {@code <cluster>-<UTC time>} and returns its name.
   * The API server requires a destination: {@code destination} when given, else the one of the
   * cluster's RedisScheduledBackup (the first by name), so an ad-hoc backup lands beside the
   * scheduled ones.
   */
  String backup(String cluster, ObjectStore destination) {
    get(cluster);
    ObjectStore target =
        destination != null
            ? destination
            : scheduledDestination(cluster)
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "no destination for a backup of "
                                + namespace
                                + "/"
                                + cluster
                                + ": pass --bucket"
                                + " (and --path, --endpoint as needed), or give the cluster a RedisScheduledBackup"));
    String name = cluster + "-" + BACKUP_SUFFIX.format(clock.instant());
    RedisBackup backup = new RedisBackup();
    backup.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    RedisBackupSpec spec = new RedisBackupSpec();
    spec.setCluster(new ClusterReference(cluster));
    spec.setDestination(target);
    backup.setSpec(spec);
    client.resources(RedisBackup.class).inNamespace(namespace).resource(backup).create();
    return name;
  }

  private java.util.Optional<ObjectStore> scheduledDestination(String cluster) {
    return client
        .resources(RedisScheduledBackup.class)
        .inNamespace(namespace)
        .list()
        .getItems()
        .stream()
        .filter(
            s ->
                s.getSpec() != null
                    && s.getSpec().getCluster() != null
                    && cluster.equals(s.getSpec().getCluster().getName())
                    && s.getSpec().getDestination() != null)
        .sorted(java.util.Comparator.comparing(s -> s.getMetadata().getName()))
        .map(s -> s.getSpec().getDestination())
        .findFirst();
  }

  /**
   * The cluster's password, from its auth Secret: for the caller to hand to Redis, never to print.
   */
  byte[] password(RedisCluster cluster) {
    String secretName =
        cluster.getSpec().getAuthSecret() != null
                && cluster.getSpec().getAuthSecret().getName() != null
            ? cluster.getSpec().getAuthSecret().getName()
            : ResourceNames.generatedAuthSecret(cluster.getMetadata().getName());
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey("password")) {
      throw new IllegalStateException(
          "Secret " + namespace + "/" + secretName + " has no key 'password'");
    }
    return Base64.getDecoder()
        .decode(secret.getData().get("password").getBytes(StandardCharsets.US_ASCII));
  }

  private static final int CONFLICT_ATTEMPTS = 5;

  private void annotate(String cluster, String key, String value) {
    editAnnotation(cluster, key, current -> value);
  }

  /**
   * Read, change, write with the read's resourceVersion, as kubectl edit does; the operator writes
   * the same object all the time (status, annotations it consumes), so a conflict (409) is read
   * again and retried a few times.
   */
  private String editAnnotation(
      String cluster, String key, java.util.function.UnaryOperator<String> change) {
    get(cluster);
    for (int attempt = 1; ; attempt++) {
      String[] written = new String[1];
      try {
        resource(cluster)
            .edit(
                c -> {
                  Map<String, String> annotations =
                      c.getMetadata().getAnnotations() == null
                          ? new HashMap<>()
                          : new HashMap<>(c.getMetadata().getAnnotations());
                  written[0] = change.apply(annotations.get(key));
                  if (written[0] == null) {
                    annotations.remove(key);
                  } else {
                    annotations.put(key, written[0]);
                  }
                  c.getMetadata().setAnnotations(annotations);
                  return c;
                });
        return written[0];
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= CONFLICT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private Resource<RedisCluster> resource(String cluster) {
    return client.resources(RedisCluster.class).inNamespace(namespace).withName(cluster);
  }
}
