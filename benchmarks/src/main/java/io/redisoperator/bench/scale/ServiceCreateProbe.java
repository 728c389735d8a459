package io.redisoperator.bench.scale;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.sandbox.SandboxConfig;
import io.redisoperator.sandbox.controlplane.ControlPlane;
import io.redisoperator.sandbox.controlplane.ControlPlaneBinary;
import io.redisoperator.sandbox.controlplane.ServiceRange;
import io.redisoperator.sandbox.operator.OperatorAccount;
import io.redisoperator.sandbox.state.Reaper;
import io.redisoperator.sandbox.state.StateDir;
import io.redisoperator.sandbox.state.Watchdog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Service creates on an otherwise idle sandbox control plane, as the administrator ({@code
 * system:masters}, exempt from API Priority and Fairness) and as the controller's ServiceAccount
 * (the {@code service-accounts} FlowSchema), at several concurrencies, with ConfigMap creates as
 * the control: whether the identity, its queues or the cluster IP allocator sets a Service create's
 * pace. One {@code service-creates:} line per identity, kind and concurrency, then the API server's
 * APF counters for the controller's requests.
 */
@Command(
    name = "service-create-probe",
    mixinStandardHelpOptions = true,
    description = "Service and ConfigMap creates as the administrator and as the controller.")
public final class ServiceCreateProbe implements Callable<Integer> {
  @Option(names = "--objects", defaultValue = "600", description = "Objects per measurement.")
  int objects;

  @Option(
      names = "--concurrency",
      split = ",",
      defaultValue = "1,4,16,32",
      description = "Requests in flight (default: ${DEFAULT-VALUE}).")
  List<Integer> concurrencies;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServiceCreateProbe()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path root = SandboxConfig.defaultStateRoot();
    Reaper.reapStale(root);
    StateDir state = StateDir.create(root);
    Watchdog watchdog = Watchdog.start(state);
    Path logs =
        Files.createDirectories(
            Path.of("target", "service-create-probe-logs", state.id()).toAbsolutePath());
    try (ControlPlane plane =
            ControlPlane.start(
                ControlPlaneBinary.locate().orElseThrow(),
                state,
                logs,
                ServiceRange.claim(state, ScaleEnvironment.NETWORK));
        KubernetesClient admin = plane.newClient()) {
      Path token = state.dir().resolve("operator-token");
      OperatorAccount.create(admin, plane.url(), plane.caFile(), token);
      try (KubernetesClient operator = ScaleEnvironment.clientWithToken(plane, token, 60_000)) {
        int round = 0;
        for (int concurrency : concurrencies) {
          for (String identity : List.of("admin", "operator")) {
            KubernetesClient client = "admin".equals(identity) ? admin : operator;
            String namespace = "probe-" + round++;
            ScaleWorkload.namespace(admin, namespace);
            measure(client, identity, concurrency, "configmaps", i -> configMap(namespace, i));
            measure(client, identity, concurrency, "services", i -> service(namespace, i));
          }
        }
        System.out.println(apfCounters(admin));
      }
    } finally {
      watchdog.close();
      Reaper.reap(state);
    }
    return 0;
  }

  private void measure(
      KubernetesClient client,
      String identity,
      int concurrency,
      String kind,
      IntFunction<HasMetadata> object)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<Double>> calls = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < objects; i++) {
        HasMetadata item = object.apply(i);
        calls.add(
            pool.submit(
                () -> {
                  long t0 = System.nanoTime();
                  client.resource(item).create();
                  return (System.nanoTime() - t0) / 1e6;
                }));
      }
      List<Double> millis = new ArrayList<>();
      for (Future<Double> call : calls) {
        millis.add(call.get());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      Collections.sort(millis);
      System.out.printf(
          Locale.ROOT,
          "service-creates: identity=%s kind=%s concurrency=%d objects=%d per_s=%.1f p50_ms=%.1f"
              + " p99_ms=%.1f%n",
          identity,
          kind,
          concurrency,
          objects,
          objects / seconds,
          millis.get(millis.size() / 2),
          millis.get(Math.min(millis.size() - 1, millis.size() * 99 / 100)));
    } finally {
      pool.shutdownNow();
    }
  }

  private static HasMetadata configMap(String namespace, int i) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName("probe-" + i)
        .endMetadata()
        .addToData("k", "v")
        .build();
  }

  private static HasMetadata service(String namespace, int i) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName("probe-" + i)
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .addToSelector("app", "probe-" + i)
        .addNewPort()
        .withName("redis")
        .withPort(6379)
        .endPort()
        .endSpec()
        .build();
  }

  /**
   * The API server's flow-control series for the controller's priority level and FlowSchema ({@code
   * service-accounts} / {@code workload-low} unless configured otherwise), from {@code /metrics}.
   */
  private static String apfCounters(KubernetesClient admin) {
    StringBuilder out = new StringBuilder("service-creates-apf:");
    for (String line : admin.raw("/metrics").split("\n")) {
      if (line.startsWith("apiserver_flowcontrol_dispatched_requests_total")
          || line.startsWith("apiserver_flowcontrol_rejected_requests_total")
          || line.startsWith("apiserver_flowcontrol_request_wait_duration_seconds_sum")
          || line.startsWith("apiserver_flowcontrol_request_wait_duration_seconds_count")
          || line.startsWith("apiserver_flowcontrol_nominal_limit_seats")) {
        out.append("\n  ").append(line);
      }
    }
    return out.toString();
  }
}
