package io.redisoperator.sandbox.controlplane;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.redisoperator.sandbox.process.HttpProbe;
import io.redisoperator.sandbox.process.ProcessGroup;
import io.redisoperator.sandbox.state.StateDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kubernetes control plane on loopback ports: etcd (data in the sandbox's state directory),
 * kube-apiserver with client-certificate and service-account-token authentication, the Node and
 * RBAC authorizers, the default admission plugins plus NodeRestriction and
 * OwnerReferencesPermissionEnforcement and an audit log; kube-controller-manager (garbage
 * collector, namespaces, service accounts and their tokens, PodDisruptionBudgets, Deployments and
 * ReplicaSets, node lifecycle, PersistentVolume binding and protection, the root CA ConfigMap) and
 * kube-scheduler. Each runs as a process group recorded in the state directory, so the sandbox's
 * reaper removes it if this JVM dies.
 *
 * <p>Not run: the EndpointSlice and Endpoints controllers. Kubernetes refuses loopback addresses in
 * EndpointSlices ({@code ValidateEndpointIP}: unspecified, loopback, link-local and link-local
 * multicast; other private ranges pass) and every sandbox pod has one, so they could publish
 * nothing; the sandbox's service proxy computes the same endpoints from the pods ({@code
 * network.Endpoints}). See docs/development.md for what would lift it.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
  public static final String SERVICE_ACCOUNT_ISSUER =
      "https://kubernetes.default.svc.cluster.local";

  /**
   * The name pods reach the API server by: in the serving certificate; each pod resolves it to its
   * own endpoint.
   */
  public static final String IN_CLUSTER_HOST = "kubernetes.default.svc";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final List<String> CONTROLLERS =
      List.of(
          "garbage-collector-controller",
          "namespace-controller",
          "serviceaccount-controller",
          "serviceaccount-token-controller",
          "disruption-controller",
          "deployment-controller",
          "replicaset-controller",
          "root-ca-certificate-publisher-controller",
          "persistentvolume-binder-controller",
          "persistentvolumeclaim-protection-controller",
          "persistentvolume-protection-controller",
          "node-lifecycle-controller",
          "taint-eviction-controller",
          "pod-garbage-collector-controller");
  private static final String AUDIT_POLICY =
      """
      apiVersion: audit.k8s.io/v1
      kind: Policy
      omitStages: ["RequestReceived"]
      rules:
        - level: Metadata
      """;

  private final ControlPlaneBinary binary;
  private final StateDir state;
  private final Path dir;
  private final Path logs;
  private final Pki pki;
  private final String url;
  private final Map<String, ProcessGroup> processes = new LinkedHashMap<>();
  private final Map<String, List<String>> commands = new LinkedHashMap<>();
  private final Kubeconfig admin;

  private ControlPlane(ControlPlaneBinary binary, StateDir state, Path logs, Pki pki, int apiPort) {
    this.binary = binary;
    this.state = state;
    this.dir = state.dir().resolve("control-plane");
    this.logs = logs;
    this.pki = pki;
    this.url = "https://127.0.0.1:" + apiPort;
    this.admin = kubeconfig("sandbox-admin", List.of("system:masters"));
  }

  /** Starts every component and returns once the API server is ready and the controllers run. */
  public static ControlPlane start(
      ControlPlaneBinary binary, StateDir state, Path logs, ServiceRange services) {
    long t0 = System.nanoTime();
    ControlPlane plane =
        new ControlPlane(binary, state, logs, Pki.create(Kubeconfig.CLUSTER), freePort());
    try {
      plane.startAll(services);
    } catch (RuntimeException e) {
      plane.close();
      throw e;
    }
    log.info(
        "control plane up at {} in {} ms (Kubernetes from {})",
        plane.url,
        (System.nanoTime() - t0) / 1_000_000,
        binary.directory());
    return plane;
  }

  private void startAll(ServiceRange services) {
    Path pkiDir = dir.resolve("pki");
    writePrivate(pkiDir.resolve("ca.crt"), pki.caPem());
    Pki.Issued serving =
        pki.server(
            "kube-apiserver",
            List.of(
                "localhost",
                "kubernetes",
                "kubernetes.default",
                IN_CLUSTER_HOST,
                "kubernetes.default.svc.cluster.local"),
            List.of("127.0.0.1", services.firstAddress()));
    writePrivate(pkiDir.resolve("apiserver.crt"), serving.certificatePem());
    writePrivate(pkiDir.resolve("apiserver.key"), serving.privateKeyPem());
    Pki.Issued signing = Pki.signingKey();
    writePrivate(pkiDir.resolve("sa.pub"), signing.certificatePem());
    writePrivate(pkiDir.resolve("sa.key"), signing.privateKeyPem());
    writePrivate(dir.resolve("audit-policy.yaml"), AUDIT_POLICY);

    int etcdPort = freePort();
    int peerPort = freePort();
    String etcdUrl = "http://127.0.0.1:" + etcdPort;
    String peerUrl = "http://127.0.0.1:" + peerPort;
    start(
        "etcd",
        List.of(
            "--name=sandbox",
            "--data-dir=" + dir.resolve("etcd"),
            "--listen-client-urls=" + etcdUrl,
            "--advertise-client-urls=" + etcdUrl,
            "--listen-peer-urls=" + peerUrl,
            "--initial-advertise-peer-urls=" + peerUrl,
            "--initial-cluster=sandbox=" + peerUrl,
            // The sandbox's data is thrown away with it: no fsync keeps etcd from waiting on a
            // shared disk.
            "--unsafe-no-fsync=true",
            "--log-level=warn"));
    await("etcd", () -> HttpProbe.ok(etcdUrl + "/health"));

    start(
        "kube-apiserver",
        List.of(
            "--etcd-servers=" + etcdUrl,
            "--bind-address=127.0.0.1",
            "--advertise-address=127.0.0.1",
            "--secure-port=" + URI.create(url).getPort(),
            "--tls-cert-file=" + pkiDir.resolve("apiserver.crt"),
            "--tls-private-key-file=" + pkiDir.resolve("apiserver.key"),
            "--client-ca-file=" + pkiDir.resolve("ca.crt"),
            "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
            "--service-account-key-file=" + pkiDir.resolve("sa.pub"),
            "--service-account-signing-key-file=" + pkiDir.resolve("sa.key"),
            "--authorization-mode=Node,RBAC",
            "--enable-admission-plugins=NodeRestriction,OwnerReferencesPermissionEnforcement",
            "--service-cluster-ip-range=" + services.cidr(),
            // The reconciler would publish 127.0.0.1 as the kubernetes Service's endpoint, which
            // Kubernetes refuses.
            "--endpoint-reconciler-type=none",
            "--audit-policy-file=" + dir.resolve("audit-policy.yaml"),
            "--audit-log-path=" + auditLog(),
            "--audit-log-maxsize=500",
            "--audit-log-maxbackup=1",
            "--profiling=false"));
    awaitApiServerReady();

    Path kcmConfig =
        kubeconfig("system:kube-controller-manager", List.of())
            .write(dir.resolve("kube-controller-manager.kubeconfig"));
    start(
        "kube-controller-manager",
        List.of(
            "--kubeconfig=" + kcmConfig,
            "--secure-port=0",
            "--leader-elect=false",
            "--use-service-account-credentials=true",
            "--service-account-private-key-file=" + pkiDir.resolve("sa.key"),
            "--root-ca-file=" + pkiDir.resolve("ca.crt"),
            "--cluster-name=" + Kubeconfig.CLUSTER,
            "--controllers=" + String.join(",", CONTROLLERS)));
    Path schedulerConfig =
        kubeconfig("system:kube-scheduler", List.of())
            .write(dir.resolve("kube-scheduler.kubeconfig"));
    start(
        "kube-scheduler",
        List.of("--kubeconfig=" + schedulerConfig, "--secure-port=0", "--leader-elect=false"));
  }

  /** An identity with a fresh client certificate signed by the cluster CA. */
  public Kubeconfig kubeconfig(String user, List<String> groups) {
    return new Kubeconfig(url, pki.caPem(), pki.client(user, groups), user);
  }

  /**
   * The cluster administrator ({@code system:masters}): the sandbox's own components and the user's
   * kubectl.
   */
  public Kubeconfig admin() {
    return admin;
  }

  public KubernetesClient newClient() {
    return new KubernetesClientBuilder().withConfig(admin.clientConfig()).build();
  }

  public String url() {
    return url;
  }

  public String caPem() {
    return pki.caPem();
  }

  public Path caFile() {
    return dir.resolve("pki").resolve("ca.crt");
  }

  /**
   * The API server's audit log: one JSON event per request, with the user and the response code.
   * One file per sandbox (named after its instance), as several may share a logs directory.
   */
  public Path auditLog() {
    return logs.resolve("kube-apiserver-audit-" + state.id() + ".log");
  }

  /** The kubectl of the same release (a link to the control-plane binary). */
  private void awaitApiServerReady() {
    try (KubernetesClient client = newClient()) {
      await(
          "kube-apiserver",
          () -> {
            try {
              return "ok".equals(client.raw("/readyz"));
            } catch (RuntimeException e) {
              return false;
            }
          });
    }
  }

  /**
   * Stops kube-apiserver (SIGTERM, then SIGKILL), as an API server outage: every client's
   * connections are refused until {@link #startApiServer()}. etcd keeps the state; the other
   * components stay up and retry.
   */
  public void stopApiServer() {
    ProcessGroup process;
    synchronized (processes) {
      process = processes.remove("kube-apiserver");
    }
    if (process != null) {
      process.terminate(Duration.ofSeconds(5));
      state.forgetGroup(process.pgid());
      log.info("kube-apiserver stopped");
    }
  }

  /** Starts kube-apiserver again with the same flags and port, and returns once it is ready. */
  public void startApiServer() {
    synchronized (processes) {
      if (processes.containsKey("kube-apiserver")) {
        return;
      }
    }
    start("kube-apiserver", commands.get("kube-apiserver"));
    awaitApiServerReady();
    log.info("kube-apiserver started again");
  }

  public Path kubectl() {
    return binary.command("kubectl");
  }

  private void start(String component, List<String> args) {
    commands.put(component, List.copyOf(args));
    List<String> argv = new ArrayList<>();
    argv.add(binary.command(component).toString());
    argv.addAll(args);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin"));
    env.put("HOME", dir.toString());
    env.put(StateDir.ENV_INSTANCE, state.dir().toString());
    try {
      Files.createDirectories(logs);
      ProcessGroup process = ProcessGroup.start(argv, env, dir, logs.resolve(component + ".log"));
      state.recordGroup(process.pgid());
      synchronized (processes) {
        processes.put(component, process);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + component, e);
    }
  }

  /** Until {@code ready}; fails as soon as the component's process exits. */
  private void await(String component, BooleanSupplier ready) {
    ProcessGroup process = processes.get(component);
    String seeLog = "; see " + logs.resolve(component + ".log");
    try {
      Awaitility.await(component + " ready")
          .atMost(START_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .failFast(component + " exited at start", () -> !process.isAlive())
          .until(ready::getAsBoolean);
    } catch (TerminalFailureException e) {
      throw new IllegalStateException(component + " exited at start" + seeLog, e);
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException(
          component + " not ready after " + START_TIMEOUT.toSeconds() + " s" + seeLog, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static void writePrivate(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Stops the components in reverse order of their start (SIGTERM, then SIGKILL after a few
   * seconds).
   */
  @Override
  public void close() {
    List<Map.Entry<String, ProcessGroup>> running;
    synchronized (processes) {
      running = new ArrayList<>(processes.entrySet());
      processes.clear();
    }
    for (int i = running.size() - 1; i >= 0; i--) {
      ProcessGroup process = running.get(i).getValue();
      process.terminate(Duration.ofSeconds(5));
      state.forgetGroup(process.pgid());
    }
  }
}
