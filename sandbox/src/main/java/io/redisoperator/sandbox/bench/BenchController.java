package io.redisoperator.sandbox.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.controller.failover.CandidateSelector;
import io.redisoperator.controller.failover.FailoverPlanner;
import io.redisoperator.controller.failover.FailoverStep;
import io.redisoperator.controller.failover.SwitchoverPlanner;
import io.redisoperator.controller.observation.ClusterObservation;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.protocol.agent.InstanceStatus;
import io.redisoperator.protocol.agent.ReplicateRequest;
import io.redisoperator.protocol.crd.InstanceRole;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.RedisClusterStatus;
import io.redisoperator.protocol.naming.Labels;
import io.redisoperator.protocol.naming.ResourceNames;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The benchmark's stand-in for the controller: it polls every agent like the pod actors (fixed rate, one poll in
 * flight, refused told apart from timed out), assembles {@link ClusterObservation}s, and executes what the real
 * planners ({@link FailoverPlanner}, {@link SwitchoverPlanner}) decide, with status written to the API server
 * first, one operation at a time. It also recreates deleted pods on their data, like the cluster actor.
 */
final class BenchController implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BenchController.class);
  /** An identical step is not repeated sooner than this: its effect shows in the next poll. */
  private static final Duration REPEAT_AFTER = ObservedPod.POLL_INTERVAL;

  private final BenchSetup setup;
  private final KubernetesClient client;
  private final AgentHttp agents;
  private final BenchAddresses addresses;
  private final int instances;
  private final Map<String, ObservedPod> members = new LinkedHashMap<>();
  private final Map<FailoverStep, Instant> recentSteps = new HashMap<>();
  private final ReentrantLock operation = new ReentrantLock();
  private final ExecutorService background = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "bench-agent-call");
    t.setDaemon(true);
    return t;
  });
  private final Consumer<String> primaryAddressListener;
  private volatile boolean running = true;
  private volatile RedisCluster cluster;
  private volatile String lastWatch;
  private Thread loop;

  BenchController(BenchSetup setup, KubernetesClient client, int instances, Consumer<String> primaryAddressListener) {
    this.setup = setup;
    this.client = client;
    this.agents = new AgentHttp(setup.token());
    this.addresses = new BenchAddresses();
    this.instances = instances;
    this.primaryAddressListener = primaryAddressListener;
    for (int n = 0; n < instances; n++) {
      String name = ResourceNames.podName(setup.cluster(), n);
      members.put(name, new ObservedPod(name, n));
    }
  }

  /** Bootstrap like the controller: record the first pod as primary, start it, then the replicas; then act. */
  void start(RedisCluster resource, Duration timeout) {
    RedisClusterStatus status = new RedisClusterStatus();
    status.setCurrentPrimary(ResourceNames.podName(setup.cluster(), 0));
    status.setTargetPrimary(status.getCurrentPrimary());
    cluster = client.resources(RedisCluster.class).resource(resource).create();
    writeStatus(s -> {
      s.setCurrentPrimary(status.getCurrentPrimary());
      s.setTargetPrimary(status.getTargetPrimary());
      return s;
    });
    ObservedPod first = members.get(status.getCurrentPrimary());
    startPod(first);
    await(() -> first.observation().lastStatus() != null
        && first.observation().lastStatus().role() == InstanceRole.PRIMARY, timeout, "first pod to serve");
    members.values().stream().filter(m -> m != first).forEach(this::startPod);
    primaryAddressListener.accept(first.pod().ip());
    loop = new Thread(this::decide, "bench-controller");
    loop.setDaemon(true);
    loop.start();
  }

  // --- what the benchmark asks for ---

  Optional<String> currentPrimary() {
    return Optional.ofNullable(cluster.getStatus().getCurrentPrimary());
  }

  Optional<String> podIp(String pod) {
    BenchPod current = members.get(pod).pod();
    return current == null ? Optional.empty() : Optional.of(current.ip());
  }

  Set<String> podIps() {
    return members.values().stream().map(ObservedPod::pod).filter(Objects::nonNull).map(BenchPod::ip)
        .collect(Collectors.toSet());
  }

  /** Like {@code kubectl delete pod --grace-period=0 --force}: processes killed, the object gone at once. */
  void forceDeletePod(String name) {
    BenchPod pod = members.get(name).deleted();
    if (pod != null) {
      pod.kill();
    }
    client.pods().inNamespace(setup.namespace()).withName(name).delete();
  }

  boolean killRedisServer(String name) {
    BenchPod pod = members.get(name).pod();
    return pod != null && pod.killRedisServer();
  }

  /** A planned switchover to the most caught-up replica, run like the cluster actor runs one: exclusively. */
  String switchover() {
    operation.lock();
    try {
      ClusterObservation observation = observe();
      String primary = observation.currentPrimary().orElseThrow();
      for (var candidate : CandidateSelector.ranked(observation, primary)) {
        if (SwitchoverPlanner.plan(observation, candidate.podName()) instanceof SwitchoverPlanner.Proceed proceed) {
          writeStatus(s -> {
            s.setTargetPrimary(proceed.plan().target());
            return s;
          });
          var answer = agents.switchover(proceed.plan().primaryIP(), proceed.plan().request());
          // The agent answers once the old primary follows the target: look at the target until it says so too.
          awaitPrimary(proceed.plan().target(), Duration.ofSeconds(2));
          members.get(proceed.plan().primary()).refresh(agents);
          return answer.ok() ? "switched to " + proceed.plan().target() : "switchover failed: " + answer.error();
        }
      }
      return "no replica can take over";
    } finally {
      operation.unlock();
    }
  }

  /** One primary serving, every pod up and linked to it, no fence, no operation pending. */
  boolean settled() {
    return settledSince(Instant.EPOCH);
  }

  /** {@link #settled()}, judged only on answers received after {@code since} (not on what was true before a fault). */
  boolean settledSince(Instant since) {
    ClusterObservation observation = observe();
    if (observation.instances().values().stream().anyMatch(i -> i.lastSeen() == null || !i.lastSeen().isAfter(since))) {
      return false;
    }
    RedisClusterStatus status = observation.cluster().getStatus();
    String primary = status.getCurrentPrimary();
    if (primary == null || !primary.equals(status.getTargetPrimary()) || !status.getFencedInstances().isEmpty()) {
      return false;
    }
    InstanceObservation p = observation.instances().get(primary);
    if (p == null || !p.answering() || p.lastStatus().role() != InstanceRole.PRIMARY || p.lastStatus().fenced()
        || p.lastStatus().selfFenced()) {
      return false;
    }
    return observation.instances().values().stream()
        .filter(i -> !i.podName().equals(primary))
        .allMatch(i -> i.answering() && i.lastStatus().role() == InstanceRole.REPLICA
            && Objects.equals(i.lastStatus().masterHost(), p.podIP())
            && Boolean.TRUE.equals(i.lastStatus().masterLinkUp()));
  }

  // --- the decision loop (the cluster actor's job) ---

  private void decide() {
    while (running) {
      if (operation.tryLock()) {
        try {
          recreateMissingPods();
          for (FailoverStep step : FailoverPlanner.next(observe())) {
            if (!repeatedTooSoon(step)) {
              execute(step);
            }
          }
        } catch (RuntimeException e) {
          log.warn("decision pass failed: {}", e.toString());
        } finally {
          operation.unlock();
        }
      }
      sleep(20);
    }
  }

  private boolean repeatedTooSoon(FailoverStep step) {
    if (step instanceof FailoverStep.Watch || step instanceof FailoverStep.AwaitCandidate
        || step instanceof FailoverStep.AwaitPromotionSafety) {
      return false;
    }
    Instant now = Instant.now();
    Instant last = recentSteps.get(step);
    if (last != null && last.plus(REPEAT_AFTER).isAfter(now)) {
      return true;
    }
    recentSteps.put(step, now);
    return false;
  }

  private void execute(FailoverStep step) {
    if (step instanceof FailoverStep.Watch watch) {
      if (!watch.reason().equals(lastWatch)) {
        log.info("watching: {}", watch.reason());
        lastWatch = watch.reason();
      }
    } else if (step instanceof FailoverStep.Fence fence) {
      log.info("fence {}: {}", fence.pod(), fence.reason());
      writeStatus(s -> {
        if (!s.getFencedInstances().contains(fence.pod())) {
          s.getFencedInstances().add(fence.pod());
        }
        return s;
      });
      if (fence.pod().equals(cluster.getStatus().getCurrentPrimary())) {
        primaryAddressListener.accept(null); // the -leader Service loses its endpoint with the role label
      }
      podIp(fence.pod()).ifPresent(ip -> background.execute(() -> members.get(fence.pod()).applied(agents.fence(ip, fence.reason()))));
    } else if (step instanceof FailoverStep.Promote promote) {
      log.info("promote {} (replid {}, offset >= {})", promote.candidate().podName(),
          promote.candidate().expectedReplId(), promote.candidate().minOffset());
      writeStatus(s -> {
        s.setTargetPrimary(promote.candidate().podName());
        return s;
      });
      var answer = agents.promote(promote.candidate().podIP(), promote.candidate().promoteRequest());
      if (!answer.ok()) {
        log.warn("promote {} failed: {}", promote.candidate().podName(), answer.error());
      }
      members.get(promote.candidate().podName()).applied(answer);
    } else if (step instanceof FailoverStep.RecordPrimary record) {
      log.info("record {} as primary (was {})", record.pod(), record.formerPrimary());
      writeStatus(s -> {
        s.setCurrentPrimary(record.pod());
        s.setTargetPrimary(record.pod());
        return s;
      });
      podIp(record.pod()).ifPresent(primaryAddressListener);
    } else if (step instanceof FailoverStep.Repoint repoint) {
      podIp(repoint.pod()).ifPresent(ip -> background.execute(() ->
          members.get(repoint.pod()).applied(agents.replicate(ip, new ReplicateRequest(repoint.host(), repoint.port())))));
    } else if (step instanceof FailoverStep.Unfence unfence) {
      log.info("unfence {}: {}", unfence.pod(), unfence.reason());
      writeStatus(s -> {
        s.getFencedInstances().remove(unfence.pod());
        return s;
      });
      podIp(unfence.pod()).ifPresent(ip -> background.execute(() -> members.get(unfence.pod()).applied(agents.unfence(ip))));
    }
  }

  /** A deleted pod comes back on its data with a new address, once it is no longer the recorded primary. */
  private void recreateMissingPods() {
    for (ObservedPod member : members.values()) {
      if (member.pod() == null && !member.name().equals(cluster.getStatus().getCurrentPrimary())) {
        log.info("recreate pod {}", member.name());
        startPod(member);
      }
    }
  }

  // --- observation ---

  ClusterObservation observe() {
    Map<String, InstanceObservation> observed = new LinkedHashMap<>();
    members.values().forEach(m -> observed.put(m.name(), m.observation()));
    return new ClusterObservation(cluster, observed, Set.of(), Instant.now());
  }

  private void startPod(ObservedPod member) {
    String ip = addresses.nextPodIp();
    int incarnation = member.nextIncarnation();
    Pod pod = new PodBuilder()
        .withNewMetadata().withName(member.name()).withNamespace(setup.namespace())
        .withLabels(Labels.forDataInstance(setup.cluster(), member.name())).endMetadata()
        .withNewStatus().withPodIP(ip).withPhase("Running").endStatus()
        .build();
    client.pods().inNamespace(setup.namespace()).resource(pod).createOr(existing -> existing.update());
    client.pods().inNamespace(setup.namespace()).withName(member.name()).editStatus(p -> {
      p.getStatus().setPodIP(ip);
      p.getStatus().setPhase("Running");
      return p;
    });
    member.started(BenchPod.start(setup, member.name(), member.ordinal(), ip, incarnation), agents, () -> running);
  }

  private void awaitPrimary(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      members.get(name).refresh(agents);
      InstanceStatus status = members.get(name).observation().lastStatus();
      if (status != null && status.role() == InstanceRole.PRIMARY) {
        return;
      }
      sleep(25);
    } while (System.nanoTime() < deadline);
  }

  private void writeStatus(UnaryOperator<RedisClusterStatus> change) {
    cluster = client.resources(RedisCluster.class).inNamespace(setup.namespace()).withName(setup.cluster())
        .editStatus(c -> {
          if (c.getStatus() == null) {
            c.setStatus(new RedisClusterStatus());
          }
          c.setStatus(change.apply(c.getStatus()));
          return c;
        });
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      sleep(20);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    operation.lock();
    try {
      members.values().stream().map(ObservedPod::pod).filter(Objects::nonNull).forEach(BenchPod::stop);
    } finally {
      operation.unlock();
      background.shutdownNow();
    }
  }
}
