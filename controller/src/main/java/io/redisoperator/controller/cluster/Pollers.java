package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.agent.AgentCredentials;
import io.redisoperator.controller.pod.PodActor;
import io.redisoperator.controller.pod.PodCommand;
import io.redisoperator.controller.pod.PodLog;
import io.redisoperator.controller.pod.PodReport;
import io.redisoperator.controller.pod.PodSigns;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Annotations;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The cluster actor's pod actors: one poller per data pod that exists, each told its pod's current
 * IP, the credentials and the poll interval. A pod that is gone but still expected (its ordinal, or
 * the recorded primary) keeps being polled at its last address: a refused connection there proves
 * its processes are gone. A pod whose object says its processes are going or in trouble ({@link
 * PodSigns}: deleted, Failed, a container that ended, restarted or is no longer ready) is polled at
 * once, so that evidence arrives without waiting for the next interval.
 */
final class Pollers {
  /**
   * The pollers' own threads (controller's {@code reference.conf}): their polls and answers never
   * wait behind the cluster actors' passes.
   */
  static final DispatcherSelector DISPATCHER =
      DispatcherSelector.fromConfig("redis-operator.pollers-dispatcher");

  private final Function<String, ActorRef<PodCommand>> spawn;
  private final Consumer<ActorRef<PodCommand>> stop;
  private final Map<String, ActorRef<PodCommand>> byPod = new HashMap<>();
  private final Map<String, PodCommand.Target> targets = new HashMap<>();

  /**
   * Pods whose object is gone but whose last address is still polled (each told once when it went).
   */
  private final Set<String> goneAndPolled = new HashSet<>();

  /** The signs each present pod's poller last reacted to (see {@link PodSigns}). */
  private final Map<String, PodSigns> signs = new HashMap<>();

  /**
   * @param spawn starts the poller of the named pod
   * @param stop stops a poller
   */
  Pollers(Function<String, ActorRef<PodCommand>> spawn, Consumer<ActorRef<PodCommand>> stop) {
    this.spawn = spawn;
    this.stop = stop;
  }

  /** The behaviour of {@code pod}'s poller, which reports to {@code reportTo}. */
  static Behavior<PodCommand> poller(
      ClusterDeps deps,
      String namespace,
      String cluster,
      String pod,
      ActorRef<PodReport> reportTo) {
    // No withMdc: the poller sets its MDC only around a line it logs (PodLog).
    return Behaviors.supervise(
            PodActor.create(
                pod,
                new PodLog(namespace, cluster, pod),
                deps.agents(),
                deps.newConnections(),
                deps.answerPace(),
                reportTo,
                deps.metrics(),
                deps.clock()))
        .onFailure(ClusterActor.restartWithBackoff());
  }

  /**
   * Brings the pollers in line with the pods that exist.
   *
   * @param cluster the cluster as last read (status and annotations)
   * @param spec the spec in force
   * @param credentials null until the agent CA exists: then nothing new is polled
   */
  void sync(
      List<Pod> pods, RedisCluster cluster, RedisClusterSpec spec, AgentCredentials credentials) {
    String name = cluster.getMetadata().getName();
    Set<String> present = new HashSet<>();
    int intervalMillis =
        spec.getFailover() == null ? 1000 : spec.getFailover().pollIntervalMillisOrDefault();
    Duration interval = Duration.ofMillis(intervalMillis);
    Duration timeout = Duration.ofMillis(Math.max(500, Math.min(intervalMillis * 8L / 10, 2000)));
    for (Pod pod : pods) {
      String podName = pod.getMetadata().getName();
      if (ResourceNames.ordinalOf(name, podName).isEmpty() || credentials == null) {
        continue;
      }
      present.add(podName);
      ActorRef<PodCommand> poller =
          byPod.containsKey(podName) ? byPod.get(podName) : start(podName);
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      PodCommand.Target target =
          new PodCommand.Target(
              ip, credentials, interval, timeout, podName.equals(recordedPrimary(cluster)));
      if (!target.equals(targets.get(podName))) {
        targets.put(podName, target);
        poller.tell(target);
      }
      PodSigns now = PodSigns.of(pod);
      switch (PodSigns.react(signs.put(podName, now), now)) {
        case POLL_UNTIL_REFUSED -> poller.tell(PodCommand.PodGone.INSTANCE);
        case POLL_NOW -> poller.tell(PodCommand.PollNow.INSTANCE);
        case NONE -> {}
      }
    }
    signs.keySet().retainAll(present);
    pollRecordedPrimaryWithoutPod(cluster, spec, present, credentials, interval, timeout);
    for (String podName : new ArrayList<>(byPod.keySet())) {
      if (present.contains(podName)) {
        continue;
      }
      if (stillExpected(cluster, spec, podName)) {
        // Poll at once rather than at the next interval.
        if (goneAndPolled.add(podName)) {
          byPod.get(podName).tell(PodCommand.PodGone.INSTANCE);
        }
        continue;
      }
      stop.accept(byPod.remove(podName));
      targets.remove(podName);
      goneAndPolled.remove(podName);
    }
    goneAndPolled.retainAll(byPod.keySet());
    goneAndPolled.removeAll(present);
  }

  /** Polls the pod now rather than at its next interval (its answer is awaited for a decision). */
  void pollNow(String pod) {
    ActorRef<PodCommand> poller = byPod.get(pod);
    if (poller != null) {
      poller.tell(PodCommand.PollNow.INSTANCE);
    }
  }

  Set<String> polled() {
    return Set.copyOf(byPod.keySet());
  }

  /**
   * The recorded primary whose pod this actor never saw (deleted while the operator was down) is
   * polled at the address status recorded for it: a refusal there proves its processes are gone,
   * and silence dates the first unanswered poll, so the promotion gate has a bound (a lost node
   * drops packets; it never refuses).
   */
  private void pollRecordedPrimaryWithoutPod(
      RedisCluster cluster,
      RedisClusterSpec spec,
      Set<String> present,
      AgentCredentials credentials,
      Duration interval,
      Duration timeout) {
    RedisClusterStatus status = cluster.getStatus();
    String primary = status == null ? null : status.getCurrentPrimary();
    if (primary == null
        || credentials == null
        || present.contains(primary)
        || byPod.containsKey(primary)
        || status.getInstancesStatus() == null
        || status.getInstancesStatus().get(primary) == null
        || status.getInstancesStatus().get(primary).getPodIP() == null
        || !stillExpected(cluster, spec, primary)) {
      return;
    }
    String ip = status.getInstancesStatus().get(primary).getPodIP();
    ActorRef<PodCommand> poller = start(primary);
    PodCommand.Target target = new PodCommand.Target(ip, credentials, interval, timeout, true);
    targets.put(primary, target);
    poller.tell(target);
    goneAndPolled.add(primary);
    poller.tell(PodCommand.PodGone.INSTANCE);
  }

  private static String recordedPrimary(RedisCluster cluster) {
    return cluster.getStatus() == null ? null : cluster.getStatus().getCurrentPrimary();
  }

  private ActorRef<PodCommand> start(String pod) {
    ActorRef<PodCommand> poller = spawn.apply(pod);
    byPod.put(pod, poller);
    return poller;
  }

  /**
   * An ordinal below spec.instances, or the recorded primary: failover and recreation still care
   * about it. Nothing is while the cluster hibernates (its pods were deleted on purpose).
   */
  static boolean stillExpected(RedisCluster cluster, RedisClusterSpec spec, String podName) {
    Map<String, String> annotations = cluster.getMetadata().getAnnotations();
    if (annotations != null && "on".equalsIgnoreCase(annotations.get(Annotations.HIBERNATION))) {
      return false;
    }
    boolean primary =
        cluster.getStatus() != null && podName.equals(cluster.getStatus().getCurrentPrimary());
    return primary
        || ResourceNames.ordinalOf(cluster.getMetadata().getName(), podName)
                .orElse(Integer.MAX_VALUE)
            < spec.getInstances();
  }
}
