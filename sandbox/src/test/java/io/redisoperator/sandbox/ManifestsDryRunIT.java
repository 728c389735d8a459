package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.redisoperator.sandbox.operator.Helm;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The install manifests as the real API server sees them: the chart rendered by helm over the value sets of
 * {@code tests/chart/} (CRDs included), and {@code dist/install.yaml}, applied with {@code kubectl apply
 * --dry-run=server}: every object passes authentication, admission, schema and CEL validation without being stored.
 * Server dry-run cannot create a namespace for the objects after it, so the namespaces they name are created first.
 * The Prometheus Operator's kinds (ServiceMonitor, PodMonitor, PrometheusRule) are left out: their CRDs are not in the
 * sandbox; promtool checks the rules ({@code scripts/check-deploy.sh}).
 */
class ManifestsDryRunIT extends SandboxIT {
  private static final Pattern NAMESPACE = Pattern.compile("(?m)^  namespace: \"?([a-z0-9-]+)\"?$");
  private static final String PROMETHEUS_OPERATOR_GROUP = "apiVersion: monitoring.coreos.com/";
  private static Path kubectl;
  private static Path kubeconfig;
  private static Helm helm;
  private static Path repo;

  @BeforeAll
  static void tools() {
    kubectl = sandbox.controlPlane().orElseThrow().kubectl();
    kubeconfig = sandbox.controlPlane().orElseThrow().admin()
        .write(Path.of("target", "dry-run-it.kubeconfig").toAbsolutePath());
    helm = Helm.locate(kubeconfig, Path.of("target", "dry-run-it-helm").toAbsolutePath());
    repo = Helm.chartDirectory().orElseThrow().getParent().getParent();
  }

  @ParameterizedTest(name = "chart with {0}")
  @ValueSource(strings = {"default", "namespaced.yaml", "monitoring.yaml"})
  void theRenderedChartPassesTheApiServer(String valueSet) throws Exception {
    List<Path> values = valueSet.equals("default") ? List.of() : List.of(repo.resolve("tests/chart/" + valueSet));
    String rendered = helm.template("redis-operator", Helm.chartDirectory().orElseThrow(), "redis-operator", values,
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
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .createOr(existing -> existing.update());
    }
    Path file = Path.of("target", "dry-run-" + name.replace('/', '-') + ".yaml").toAbsolutePath();
    Files.writeString(file, String.join("\n---\n", documents) + "\n", StandardCharsets.UTF_8);
    ProcessBuilder pb = new ProcessBuilder(kubectl.toString(), "apply", "--dry-run=server", "-f", file.toString())
        .redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "kubectl apply finished");
    System.out.println(name + ": " + documents.size() + " objects, " + skipped + " Prometheus Operator objects left"
        + " out; kubectl apply --dry-run=server -> " + p.exitValue() + ":\n" + out.trim());
    assertEquals(0, p.exitValue(), out);
    long accepted = Arrays.stream(out.split("\n")).filter(l -> l.endsWith("(server dry run)")).count();
    assertEquals(documents.size(), accepted, "one '(server dry run)' line per object:\n" + out);
  }
}
