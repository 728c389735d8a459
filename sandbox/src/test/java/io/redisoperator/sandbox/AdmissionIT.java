package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.redisoperator.sandbox.operator.Helm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the real API server admits. The CRD's schema and CEL rules make it refuse an invalid
 * RedisCluster at {@code kubectl apply}, with the field at fault named in the answer (one case per
 * rule), and an edit of an immutable field; a valid one is accepted. The install manifests pass it:
 * the chart rendered by helm over the value sets of {@code tests/chart/} (CRDs included) and {@code
 * dist/install.yaml}, applied with {@code kubectl apply --dry-run=server} (authentication,
 * admission, schema and CEL validation, nothing stored). Server dry-run cannot create a namespace
 * for the objects after it, so the namespaces they name are created first. The Prometheus
 * Operator's kinds (ServiceMonitor, PodMonitor, PrometheusRule) are left out: their CRDs are not in
 * the sandbox; promtool checks the rules ({@code scripts/check-deploy.sh}).
 */
class AdmissionIT extends SandboxIT {
  private static final Pattern NAMESPACE = Pattern.compile("(?m)^  namespace: \"?([a-z0-9-]+)\"?$");
  private static final String PROMETHEUS_OPERATOR_GROUP = "apiVersion: monitoring.coreos.com/";
  private static Path kubectl;
  private static Path kubeconfig;
  private static Helm helm;
  private static Path repo;

  @BeforeAll
  static void kubectl() {
    kubectl = sandbox.controlPlane().orElseThrow().kubectl();
    kubeconfig =
        sandbox
            .controlPlane()
            .orElseThrow()
            .admin()
            .write(Path.of("target", "admission-it.kubeconfig").toAbsolutePath());
    helm = Helm.locate(kubeconfig, Path.of("target", "admission-it-helm").toAbsolutePath());
    repo = Helm.chartDirectory().orElseThrow().getParent().getParent();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "cluster mode                  | 'instances: 3, mode: cluster'                             | spec.mode",
        "sentinel with 2 instances     | 'instances: 2, mode: sentinel'                            | spec.instances",
        "more replicas to write than exist | 'instances: 3, durability: {minReplicasToWrite: 3}'   | spec.durability.minReplicasToWrite",
        "no instances                  | 'instances: 0'                                            | spec.instances",
        "too many instances            | 'instances: 65'                                           | spec.instances",
        "unknown mode                  | 'instances: 3, mode: ring'                                | spec.mode",
        "poll interval below 200 ms    | 'instances: 3, failover: {pollIntervalMillis: 100}'       | spec.failover.pollIntervalMillis",
        "lag bound above 60 s          | 'instances: 3, durability: {minReplicasMaxLagSeconds: 61}' | spec.durability.minReplicasMaxLagSeconds",
      })
  void anInvalidClusterIsRefusedWithTheFieldNamed(String rule, String spec, String field)
      throws Exception {
    String name = "invalid-" + Integer.toHexString(rule.hashCode() & 0xffff);
    Result applied = apply(name, spec);
    assertNotEquals(0, applied.exitCode, rule + ": refused");
    assertTrue(
        applied.output.contains(field), rule + ": names " + field + " in: " + applied.output);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "sentinel with 3 instances | 'instances: 3, mode: sentinel'",
        "two replicas to write of two | 'instances: 3, durability: {minReplicasToWrite: 2}'",
      })
  void aValidClusterIsAccepted(String rule, String spec) throws Exception {
    String name = "valid-" + Integer.toHexString(rule.hashCode() & 0xffff);
    Result applied = apply(name, spec);
    assertEquals(0, applied.exitCode, rule + ": " + applied.output);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "storage size grown        | 'instances: 3, storage: {size: 1Gi}'             | 'instances: 3, storage: {size: 2Gi}'              | spec.storage",
        "storage class changed     | 'instances: 3, storage: {storageClassName: a}'   | 'instances: 3, storage: {storageClassName: b}'    | spec.storage",
        "storage type changed      | 'instances: 3, storage: {type: pvc}'             | 'instances: 3, storage: {type: emptyDir}'         | spec.storage",
        "storage added later       | 'instances: 3'                                   | 'instances: 3, storage: {size: 2Gi}'              | spec.storage",
        "storage removed later     | 'instances: 3, storage: {size: 2Gi}'             | 'instances: 3'                                     | spec.storage",
        "bootstrap added later     | 'instances: 3'                                   | 'instances: 3, bootstrap: {backup: {name: b}}'    | spec.bootstrap",
      })
  void anImmutableFieldCannotChangeAfterCreation(
      String rule, String created, String edited, String field) throws Exception {
    String name = "immutable-" + Integer.toHexString(rule.hashCode() & 0xffff);
    Result create = apply(name, created);
    assertEquals(0, create.exitCode, rule + ": created: " + create.output);
    Result edit = apply(name, edited);
    assertNotEquals(0, edit.exitCode, rule + ": refused");
    assertTrue(edit.output.contains(field), rule + ": names " + field + " in: " + edit.output);
  }

  @org.junit.jupiter.api.Test
  void mutableFieldsStillChange() throws Exception {
    String name = "mutable-fields";
    assertEquals(0, apply(name, "instances: 3, storage: {size: 1Gi}").exitCode);
    Result edit =
        apply(name, "instances: 5, storage: {size: 1Gi}, failover: {pollIntervalMillis: 500}");
    assertEquals(0, edit.exitCode, edit.output);
  }

  @ParameterizedTest(name = "chart with {0}")
  @ValueSource(strings = {"default", "namespaced.yaml", "monitoring.yaml"})
  void theRenderedChartPassesTheApiServer(String valueSet) throws Exception {
    List<Path> values =
        valueSet.equals("default") ? List.of() : List.of(repo.resolve("tests/chart/" + valueSet));
    String rendered =
        helm.template(
            "redis-operator",
            Helm.chartDirectory().orElseThrow(),
            "redis-operator",
            values,
            List.of("monitoring.coreos.com/v1"));
    assertDryRunAccepted("chart-" + valueSet, rendered);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dist/install.yaml"})
  void thePlainManifestInstallPassesTheApiServer(String file) throws Exception {
    assertDryRunAccepted("install", Files.readString(repo.resolve(file)));
  }

  private static void assertDryRunAccepted(String name, String manifests) throws Exception {
    List<String> documents = new ArrayList<>();
    int skipped = 0;
    for (String document : manifests.split("(?m)^---\\s*$")) {
      if (document.contains(PROMETHEUS_OPERATOR_GROUP)) {
        skipped++;
      } else if (document.contains("kind:")) {
        documents.add(document.strip());
      }
    }
    Set<String> namespaces = new LinkedHashSet<>();
    Matcher m = NAMESPACE.matcher(String.join("\n", documents));
    while (m.find()) {
      namespaces.add(m.group(1));
    }
    for (String namespace : namespaces) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .createOr(existing -> existing.update());
    }
    Path file = Path.of("target", "dry-run-" + name.replace('/', '-') + ".yaml").toAbsolutePath();
    Files.writeString(file, String.join("\n---\n", documents) + "\n", StandardCharsets.UTF_8);
    ProcessBuilder pb =
        new ProcessBuilder(kubectl.toString(), "apply", "--dry-run=server", "-f", file.toString())
            .redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl apply finished");
    System.out.println(
        name
            + ": "
            + documents.size()
            + " objects, "
            + skipped
            + " Prometheus Operator objects left"
            + " out; kubectl apply --dry-run=server -> "
            + p.exitValue()
            + ":\n"
            + out.trim());
    assertEquals(0, p.exitValue(), out);
    long accepted =
        Arrays.stream(out.split("\n")).filter(l -> l.endsWith("(server dry run)")).count();
    assertEquals(documents.size(), accepted, "one '(server dry run)' line per object:\n" + out);
  }

  private record Result(int exitCode, String output) {}

  private static Result apply(String name, String spec) throws IOException, InterruptedException {
    Path manifest = Files.createTempFile("rediscluster", ".yaml");
    Files.writeString(
        manifest,
        String.join(
            "\n",
            "apiVersion: redis.io/v1",
            "kind: RedisCluster",
            "metadata: {name: " + name + ", namespace: default}",
            "spec: {" + spec + "}",
            ""));
    ProcessBuilder pb =
        new ProcessBuilder(List.of(kubectl.toString(), "apply", "-f", manifest.toString()))
            .redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, out);
    }
    Files.delete(manifest);
    System.out.println("kubectl apply " + spec + " -> " + p.exitValue() + ": " + out.trim());
    return new Result(p.exitValue(), out);
  }
}
