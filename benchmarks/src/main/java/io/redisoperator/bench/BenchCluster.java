package io.redisoperator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.DurabilitySpec;
import io.redisoperator.protocol.crd.Mode;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.json.Json;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.sandbox.operator.ClusterWait;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The benchmark's RedisCluster as a user sees it through the Kubernetes API: created and annotated
 * by requests, read from watch-backed informers (no polling of the single-threaded API server).
 * Every change of {@code status.currentPrimary}, of the phase and of a pod's role label or
 * readiness is stamped on arrival, so a run can show when each step of a failover became visible.
 */
final class BenchCluster implements AutoCloseable {
  /** Something the API showed, at {@code nanos} (monotonic clock of the benchmark). */
  record Event(long nanos, String what) {}

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final SharedIndexInformer<RedisCluster> clusters;
  private final SharedIndexInformer<Pod> pods;
  private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

  private BenchCluster(KubernetesClient client, String namespace, String name) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.clusters =
        client.resources(RedisCluster.class).inNamespace(namespace).withName(name).inform();
    this.pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(Labels.CLUSTER, name)
            .withLabel(Labels.WORKLOAD, Labels.WORKLOAD_DATA)
            .inform();
    clusters.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(RedisCluster c) {}

          @Override
          public void onUpdate(RedisCluster old, RedisCluster c) {
            stampClusterChange(old, c);
          }

          @Override
          public void onDelete(RedisCluster c, boolean unknownFinalState) {}
        });
    pods.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            stamp(pod.getMetadata().getName() + " created");
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            stampPodChange(old, pod);
          }

          @Override
          public void onDelete(Pod pod, boolean unknownFinalState) {
            stamp(pod.getMetadata().getName() + " deleted");
          }
        });
  }

  /** Creates the RedisCluster and waits until it is Healthy with every pod Ready and labelled. */
  static BenchCluster create(
      KubernetesClient client,
      String namespace,
      String name,
      int instances,
      Mode mode,
      boolean durability,
      boolean tls,
      Duration timeout)
      throws TimeoutException {
    RedisCluster resource = new RedisCluster();
    resource.getMetadata().setName(name);
    resource.getMetadata().setNamespace(namespace);
    resource.getSpec().setInstances(instances);
    resource.getSpec().setMode(mode);
    if (durability) {
      DurabilitySpec spec = new DurabilitySpec();
      spec.setMinReplicasToWrite(1);
      resource.getSpec().setDurability(spec);
    }
    if (tls) {
      resource.getSpec().setTls(new io.redisoperator.protocol.crd.TlsSpec());
    }
    client.resource(resource).create();
    BenchCluster cluster = new BenchCluster(client, namespace, name);
    try {
      ClusterWait.awaitHealthy(client, namespace, name, timeout);
      Polling.await(
          () -> cluster.settlementProblem().isEmpty(), timeout, "every pod Ready and labelled");
      return cluster;
    } catch (TimeoutException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  String name() {
    return name;
  }

  RedisCluster resource() {
    return clusters.getStore().getByKey(namespace + "/" + name);
  }

  List<Pod> pods() {
    return pods.getStore().list();
  }

  Optional<String> currentPrimary() {
    RedisCluster c = resource();
    return c == null || c.getStatus() == null
        ? Optional.empty()
        : Optional.ofNullable(c.getStatus().getCurrentPrimary());
  }

  Optional<String> podIp(String pod) {
    Pod p = pods.getStore().getByKey(namespace + "/" + pod);
    return p == null || p.getStatus() == null || p.getMetadata().getDeletionTimestamp() != null
        ? Optional.empty()
        : Optional.ofNullable(p.getStatus().getPodIP());
  }

  /** The addresses of the pods that exist now: where the probes write. */
  Set<String> podIps() {
    return pods().stream()
        .filter(p -> p.getStatus() != null && p.getStatus().getPodIP() != null)
        .map(p -> p.getStatus().getPodIP())
        .collect(Collectors.toSet());
  }

  Optional<String> settlementProblem() {
    return Settlement.problem(resource(), pods());
  }

  /**
   * The CA of the cluster's client Secret (spec.tls), in a file a TLS client can trust, as an
   * application would.
   */
  java.nio.file.Path clientCaFile() {
    Secret secret =
        client.secrets().inNamespace(namespace).withName(ResourceNames.tlsClientSecret(name)).get();
    if (secret == null
        || secret.getData() == null
        || secret.getData().get(InstanceLayout.SECRET_KEY_CA_CERT) == null) {
      throw new IllegalStateException(
          "TLS client secret " + ResourceNames.tlsClientSecret(name) + " has no CA");
    }
    try {
      java.nio.file.Path file = java.nio.file.Files.createTempFile("bench-redis-ca-", ".crt");
      file.toFile().deleteOnExit();
      java.nio.file.Files.write(
          file,
          Base64.getDecoder().decode(secret.getData().get(InstanceLayout.SECRET_KEY_CA_CERT)));
      return file;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  String password() {
    Secret secret =
        client
            .secrets()
            .inNamespace(namespace)
            .withName(ResourceNames.generatedAuthSecret(name))
            .get();
    if (secret == null) {
      throw new IllegalStateException(
          "auth secret " + ResourceNames.generatedAuthSecret(name) + " missing");
    }
    return new String(
        Base64.getDecoder().decode(secret.getData().get(InstanceLayout.SECRET_KEY_PASSWORD)),
        StandardCharsets.UTF_8);
  }

  /**
   * The replicas' replication offsets, read from each replica directly; -1 when a replica does not
   * answer.
   */
  Map<String, Long> replicaOffsets(RedisLinks links) {
    String primary = currentPrimary().orElse("");
    Map<String, Long> offsets = new LinkedHashMap<>();
    for (Pod pod : pods()) {
      String podName = pod.getMetadata().getName();
      if (podName.equals(primary)) {
        continue;
      }
      offsets.put(podName, podIp(podName).map(ip -> offset(links, ip)).orElse(-1L));
    }
    return offsets;
  }

  private static long offset(RedisLinks links, String ip) {
    try (StatefulRedisConnection<String, String> c =
        links.connect(new InetSocketAddress(ip, AgentApi.REDIS_PORT))) {
      return RedisLinks.field(c.sync().info("replication"), "slave_repl_offset")
          .map(Long::parseLong)
          .orElse(-1L);
    } catch (RedisException | NumberFormatException e) {
      return -1L;
    }
  }

  /** Asks for a planned switchover as a user would: the annotation, by JSON merge patch. */
  void requestSwitchover(String target) {
    var patch = Json.mapper().createObjectNode();
    patch.putObject("metadata").putObject("annotations").put(Annotations.SWITCHOVER_TO, target);
    client
        .resources(RedisCluster.class)
        .inNamespace(namespace)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }

  /** The stamped API changes since the last call. */
  List<Event> drainEvents() {
    List<Event> drained = new ArrayList<>();
    for (Event e; (e = events.poll()) != null; ) {
      drained.add(e);
    }
    return drained;
  }

  private void stampClusterChange(RedisCluster old, RedisCluster c) {
    String before = old.getStatus() == null ? null : old.getStatus().getCurrentPrimary();
    String after = c.getStatus() == null ? null : c.getStatus().getCurrentPrimary();
    if (!Objects.equals(before, after)) {
      stamp("status.currentPrimary=" + after);
    }
    Object phaseBefore = old.getStatus() == null ? null : old.getStatus().getPhase();
    Object phaseAfter = c.getStatus() == null ? null : c.getStatus().getPhase();
    if (!Objects.equals(phaseBefore, phaseAfter)) {
      stamp("phase=" + phaseAfter);
    }
    List<String> fencedBefore =
        old.getStatus() == null ? List.of() : old.getStatus().getFencedInstances();
    List<String> fencedAfter =
        c.getStatus() == null ? List.of() : c.getStatus().getFencedInstances();
    if (!Objects.equals(fencedBefore, fencedAfter)) {
      stamp("status.fencedInstances=" + fencedAfter);
    }
    // The promotion gate waits 2750 ms from this record in a partition (docs/failover.md).
    List<String> unreachableBefore =
        old.getStatus() == null ? List.of() : old.getStatus().getUnreachableInstances();
    List<String> unreachableAfter =
        c.getStatus() == null ? List.of() : c.getStatus().getUnreachableInstances();
    if (!Objects.equals(unreachableBefore, unreachableAfter)) {
      stamp("status.unreachableInstances=" + unreachableAfter);
    }
  }

  private void stampPodChange(Pod old, Pod pod) {
    String podName = pod.getMetadata().getName();
    String roleBefore =
        old.getMetadata().getLabels() == null
            ? null
            : old.getMetadata().getLabels().get(Labels.ROLE);
    String roleAfter =
        pod.getMetadata().getLabels() == null
            ? null
            : pod.getMetadata().getLabels().get(Labels.ROLE);
    if (!Objects.equals(roleBefore, roleAfter)) {
      stamp(podName + " role=" + roleAfter);
    }
    if (Settlement.isReady(old) != Settlement.isReady(pod)) {
      stamp(podName + (Settlement.isReady(pod) ? " Ready" : " not Ready"));
    }
  }

  private void stamp(String what) {
    events.add(new Event(System.nanoTime(), what));
  }

  /**
   * Deletes the RedisCluster and waits (bounded) until its data pods are gone, so the next cluster
   * starts alone.
   */
  void delete(Duration timeout) {
    client.resources(RedisCluster.class).inNamespace(namespace).withName(name).delete();
    Polling.await(() -> pods().isEmpty(), timeout, "the pods of " + name + " to go");
  }

  @Override
  public void close() {
    clusters.close();
    pods.close();
  }
}
