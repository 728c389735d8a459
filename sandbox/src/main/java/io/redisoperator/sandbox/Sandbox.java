package io.redisoperator.sandbox;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.sandbox.api.ApiServer;
import io.redisoperator.sandbox.api.Crds;
import io.redisoperator.sandbox.api.Informers;
import io.redisoperator.sandbox.controlplane.ControlPlane;
import io.redisoperator.sandbox.controlplane.ControlPlaneBinary;
import io.redisoperator.sandbox.controlplane.ServiceRange;
import io.redisoperator.sandbox.fault.FaultInjector;
import io.redisoperator.sandbox.fault.SandboxFaults;
import io.redisoperator.sandbox.gc.GarbageCollector;
import io.redisoperator.sandbox.kubelet.Kubelet;
import io.redisoperator.sandbox.kubelet.KubeletConfig;
import io.redisoperator.sandbox.kubelet.MockPodApi;
import io.redisoperator.sandbox.kubelet.NodeRegistration;
import io.redisoperator.sandbox.kubelet.PodApi;
import io.redisoperator.sandbox.kubelet.TokenRequestPodApi;
import io.redisoperator.sandbox.network.AddressPool;
import io.redisoperator.sandbox.network.Firewall;
import io.redisoperator.sandbox.network.SandboxNetwork;
import io.redisoperator.sandbox.network.ServiceProxy;
import io.redisoperator.sandbox.operator.ChartInstall;
import io.redisoperator.sandbox.operator.ControllerProcess;
import io.redisoperator.sandbox.operator.OperatorAccount;
import io.redisoperator.sandbox.state.Reaper;
import io.redisoperator.sandbox.state.StateDir;
import io.redisoperator.sandbox.state.Watchdog;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local Kubernetes cluster of processes: the real control plane (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler; or, chosen explicitly, the fabric8 mock API server with
 * the sandbox's own garbage collector), a kubelet serving {@link #NODE_NAMES} that runs pods as
 * process groups, a service proxy, plus optionally the operator: its controller as a process, or
 * installed from its chart and run as the chart Deployment's pods. Closing it leaves no process,
 * listener, rule or directory behind; if the JVM dies instead, the watchdog (at once) or the next
 * sandbox's reaper cleans up.
 */
public final class Sandbox implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

  private final SandboxConfig config;
  private final StateDir state;
  private final Watchdog watchdog;

  /**
   * The nodes the sandbox's kubelet serves on Kubernetes (more than one, so anti-affinity and
   * drains mean something).
   */
  public static final List<String> NODE_NAMES =
      List.of("sandbox-node-1", "sandbox-node-2", "sandbox-node-3");

  private final ApiServer apiServer;
  private final ControlPlane controlPlane;
  private final NodeRegistration nodes;
  private final KubernetesClient client;
  private final Informers informers;
  private final Kubelet kubelet;
  private final ServiceProxy proxy;
  private final GarbageCollector gc;
  private final ControllerProcess controller;

  /**
   * How controller processes run: the pods' JVM flags and {@link SandboxConfig#controllerJvmFlags}.
   */
  private final KubeletConfig controllerConfig;

  private final Map<String, String> controllerApiEnv;
  private final List<ControllerProcess> moreControllers = new java.util.ArrayList<>();
  private final SandboxFaults faults;
  private final Thread shutdownHook;
  private boolean closed;

  private Sandbox(SandboxConfig config) {
    this.config = config;
    Reaper.reapStale(config.stateRoot());
    this.state = StateDir.create(config.stateRoot());
    this.watchdog = Watchdog.start(state);
    SandboxNetwork network = config.network();
    AddressPool podAddresses = new AddressPool(state, network.firstPodIp(), network.lastPodIp());
    Path logs = config.logsDir().orElse(state.logsDir());
    String apiUrl;
    PodApi podApi;
    Set<String> nodeNames;
    Map<String, String> controllerApiEnv;
    if (config.apiServer() == ApiServerKind.KUBERNETES) {
      ControlPlaneBinary binary =
          ControlPlaneBinary.locate()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no Kubernetes control plane (scripts/build-control-plane.sh failed, see above); -D"
                              + ApiServerKind.PROPERTY
                              + "=mock runs on the fabric8 mock instead"));
      this.apiServer = null;
      this.controlPlane =
          ControlPlane.start(binary, state, logs, ServiceRange.claim(state, network));
      this.client = controlPlane.newClient();
      Crds.install(client, ApiServer.loadCrds());
      // Pods are refused until their namespace's default ServiceAccount exists (the
      // controller-manager creates it).
      client
          .serviceAccounts()
          .inNamespace("default")
          .withName("default")
          .waitUntilCondition(
              java.util.Objects::nonNull, 60, java.util.concurrent.TimeUnit.SECONDS);
      apiUrl = controlPlane.url();
      podApi = new TokenRequestPodApi(client, ControlPlane.IN_CLUSTER_HOST, Clock.systemUTC());
      this.nodes = new NodeRegistration(client, NODE_NAMES, network.nodeIp(), Clock.systemUTC());
      nodes.start();
      nodeNames = Set.copyOf(NODE_NAMES);
      controllerApiEnv =
          config.withController()
              ? OperatorAccount.create(
                  client, apiUrl, controlPlane.caFile(), state.dir().resolve("operator-token"))
              : Map.of();
    } else {
      log.warn(
          "sandbox {}: running on the fabric8 MOCK API server: no authentication, RBAC, admission, schema"
              + " validation or garbage collection by Kubernetes",
          state.id());
      AddressPool serviceAddresses =
          new AddressPool(state, network.firstServiceIp(), network.lastServiceIp());
      this.controlPlane = null;
      this.nodes = null;
      this.apiServer = ApiServer.start("127.0.0.1", config.apiPort(), serviceAddresses::allocate);
      this.client = apiServer.newClient();
      apiUrl = apiServer.url();
      podApi = new MockPodApi();
      nodeNames = Set.of();
      controllerApiEnv = null;
    }
    KubeletConfig kubeletConfig =
        new KubeletConfig(
            network.nodeIp(),
            apiUrl,
            snapshot(config.operatorJar(), state),
            KubeletConfig.currentJava(),
            config.jvmFlags(),
            config.projectedUpdateDelay(),
            Duration.ofSeconds(10),
            logs);
    this.informers = new Informers(client);
    this.kubelet =
        new Kubelet(client, informers, kubeletConfig, state, podAddresses, podApi, nodeNames);
    this.proxy = new ServiceProxy(informers.services(), informers.pods(), network.nodeIp());
    kubelet.start();
    informers.start();
    // On Kubernetes the controller-manager's garbage collector does this.
    this.gc = apiServer != null ? new GarbageCollector(client, informers) : null;
    if (gc != null) {
      gc.start();
    }
    this.controllerConfig = kubeletConfig.withMoreJvmFlags(config.controllerJvmFlags());
    this.controllerApiEnv = controllerApiEnv;
    this.controller =
        !config.withController()
            ? null
            : controllerApiEnv == null
                ? new ControllerProcess(controllerConfig, state, config.controllerArgs())
                : new ControllerProcess(
                    controllerConfig, state, config.controllerArgs(), controllerApiEnv);
    this.faults =
        new SandboxFaults(
            client, kubelet, new Firewall(state), controller, network.podRange(), controlPlane);
    this.shutdownHook = new Thread(this::closeFromHook, "sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    log.info("sandbox {} up: API server {}, state {}", state.id(), apiUrl, state.dir());
  }

  /**
   * A private copy of the operator jar: a rebuild of dist/ while the sandbox runs must not pull
   * classes out from under running pod and controller JVMs (they load classes lazily from the jar
   * file).
   */
  private static Path snapshot(Path operatorJar, StateDir state) {
    Path jar = operatorJar.toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      return jar;
    }
    Path copy = state.dir().resolve("redis-operator.jar");
    try {
      Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return copy;
    } catch (java.io.IOException e) {
      log.warn("cannot copy {} ({}): pods run it in place", jar, e.getMessage());
      return jar;
    }
  }

  /** Starts a sandbox; the controller is started separately with {@link #startController()}. */
  public static Sandbox start(SandboxConfig config) {
    if (!Files.isRegularFile(config.operatorJar())) {
      log.warn(
          "{} does not exist: pods running /redis-operator will fail to start (run make build)",
          config.operatorJar());
    }
    return new Sandbox(config);
  }

  public void startController() {
    if (controller == null) {
      throw new IllegalStateException("sandbox configured without the controller");
    }
    controller.start();
  }

  /**
   * Installs the operator from {@code charts/redis-operator} with helm, as a user would, and waits
   * until its Deployment is available; its pods then run on the sandbox's nodes like any other.
   * Needs the real control plane and a sandbox without the controller process ({@link
   * SandboxConfig#withoutControllerProcess()}), whose account would collide with the chart's.
   */
  public ChartInstall installOperatorChart(Map<String, String> extraValues, Duration timeout) {
    if (controlPlane == null) {
      throw new IllegalStateException(
          "the chart installs into the real control plane only, not the mock");
    }
    if (controller != null) {
      throw new IllegalStateException(
          "this sandbox has a controller process; configure it withoutControllerProcess()");
    }
    Path kubeconfig = controlPlane.admin().write(state.dir().resolve("kubeconfig"));
    return ChartInstall.install(
        client, kubeconfig, state.dir().resolve("helm"), extraValues, timeout);
  }

  public String apiServerUrl() {
    return controlPlane != null ? controlPlane.url() : apiServer.url();
  }

  /** The real control plane, or empty on the mock. */
  public Optional<ControlPlane> controlPlane() {
    return Optional.ofNullable(controlPlane);
  }

  /** A client of the sandbox API server (closed with the sandbox). */
  public KubernetesClient client() {
    return client;
  }

  /** A new administrator client; the caller closes it. */
  public KubernetesClient newClient() {
    return controlPlane != null ? controlPlane.newClient() : apiServer.newClient();
  }

  public Kubelet kubelet() {
    return kubelet;
  }

  public FaultInjector faults() {
    return faults;
  }

  public Optional<ControllerProcess> controller() {
    return Optional.ofNullable(controller);
  }

  /**
   * Another controller process with the same account as {@link #controller()} and extra arguments
   * of its own (e.g. {@code --leader-elect}, for several controllers contending for the lease); not
   * started yet, stopped with the sandbox.
   */
  public synchronized ControllerProcess addController(String name, List<String> args) {
    if (!config.withController()) {
      throw new IllegalStateException("sandbox configured without the controller");
    }
    ControllerProcess added =
        new ControllerProcess(
            controllerConfig,
            state,
            args,
            controllerApiEnv == null
                ? ControllerProcess.mockApiEnv(controllerConfig)
                : controllerApiEnv,
            name);
    moreControllers.add(added);
    return added;
  }

  public StateDir state() {
    return state;
  }

  /** Where clients reach a Service port: its cluster IP, served by the sandbox proxy. */
  public InetSocketAddress serviceAddress(String namespace, String service, int port) {
    Service svc = informers.services().getStore().getByKey(namespace + "/" + service);
    if (svc == null || svc.getSpec().getClusterIP() == null) {
      throw new IllegalStateException("service " + namespace + "/" + service + " does not exist");
    }
    return new InetSocketAddress(svc.getSpec().getClusterIP(), port);
  }

  /** The ready endpoints the proxy would use for a Service port now. */
  public List<InetSocketAddress> endpoints(String namespace, String service, int port) {
    Service svc = informers.services().getStore().getByKey(namespace + "/" + service);
    if (svc == null) {
      return List.of();
    }
    return svc.getSpec().getPorts().stream()
        .filter(p -> p.getPort() == port)
        .findFirst()
        .map(p -> proxy.endpoints(svc, p))
        .orElse(List.of());
  }

  private void closeFromHook() {
    closeInternal(false);
  }

  @Override
  public void close() {
    closeInternal(true);
  }

  private synchronized void closeInternal(boolean removeHook) {
    if (closed) {
      return;
    }
    closed = true;
    if (removeHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    if (controller != null) {
      controller.close();
    }
    moreControllers.forEach(ControllerProcess::close);
    kubelet.stopAll(config.shutdownGrace());
    proxy.close();
    if (gc != null) {
      gc.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    informers.close();
    client.close();
    if (apiServer != null) {
      apiServer.close();
    }
    if (controlPlane != null) {
      controlPlane.close();
    }
    watchdog.close();
    Reaper.reap(state);
    log.info("sandbox {} stopped", state.id());
  }
}
