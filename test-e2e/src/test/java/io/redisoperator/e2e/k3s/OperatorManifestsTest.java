package io.redisoperator.e2e.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The k3s install must stay what the Helm chart installs; these catch drift from the chart's
 * templates.
 */
class OperatorManifestsTest {
  private static final Path TEMPLATES =
      OperatorImage.repositoryRoot().resolve("charts/redis-operator/templates");

  @Test
  void clusterRoleGrantsExactlyTheChartsRules() throws IOException {
    // dist/install.yaml is the chart rendered with its default values (check-deploy keeps it so).
    String install = Files.readString(OperatorImage.repositoryRoot().resolve("dist/install.yaml"));
    ClusterRole chart =
        Arrays.stream(install.split("(?m)^---$"))
            .filter(doc -> doc.contains("\nkind: ClusterRole\n"))
            .map(doc -> Serialization.unmarshal(doc, ClusterRole.class))
            .findFirst()
            .orElseThrow(() -> new AssertionError("dist/install.yaml has no ClusterRole"));
    assertEquals(chart.getRules(), OperatorManifests.rules());
  }

  @Test
  void controllerGetsTheChartsArgumentsAndTheBuiltImage() throws IOException {
    List<String> chartArgs =
        renderedByDefault(
            Files.readString(TEMPLATES.resolve("deployment.yaml"))
                .lines()
                .dropWhile(line -> !line.trim().equals("args:"))
                .skip(1)
                .takeWhile(line -> line.trim().startsWith("- ") || line.contains("{{"))
                .toList());
    assertTrue(chartArgs.contains("controller"), "parsed the chart's arguments: " + chartArgs);
    Container controller = container(OperatorManifests.deployment("redis-operator-e2e:dev"));
    List<String> args = controller.getArgs();
    for (String chartArg : chartArgs) {
      assertTrue(
          args.stream().anyMatch(a -> a.startsWith(chartArg)),
          "chart argument " + chartArg + " in " + args);
    }
    assertTrue(args.contains("--operator-image=redis-operator-e2e:dev"), args.toString());
    assertEquals("redis-operator-e2e:dev", controller.getImage());
    assertEquals("Never", controller.getImagePullPolicy());
  }

  @Test
  void deploymentSelectsItsPodsAndRunsAsTheBoundServiceAccount() {
    Deployment deployment = OperatorManifests.deployment("img:1");
    assertEquals(
        deployment.getSpec().getSelector().getMatchLabels(),
        deployment.getSpec().getTemplate().getMetadata().getLabels());
    String account = deployment.getSpec().getTemplate().getSpec().getServiceAccountName();
    assertEquals(OperatorManifests.serviceAccount().getMetadata().getName(), account);
    assertEquals(account, OperatorManifests.clusterRoleBinding().getSubjects().get(0).getName());
    assertEquals(
        OperatorManifests.NAMESPACE,
        OperatorManifests.clusterRoleBinding().getSubjects().get(0).getNamespace());
    assertEquals(1, deployment.getSpec().getReplicas());
  }

  /**
   * The argument lines the chart renders with its default values: those outside {@code with}/{@code
   * if} blocks (the defaults leave those blocks empty), each cut before its first template
   * expression.
   */
  private static List<String> renderedByDefault(List<String> lines) {
    List<String> args = new ArrayList<>();
    int depth = 0;
    for (String line : lines) {
      String trimmed = line.trim();
      if (trimmed.startsWith("{{- with") || trimmed.startsWith("{{- if")) {
        depth++;
      } else if (trimmed.startsWith("{{- end")) {
        depth--;
      } else if (depth == 0 && trimmed.startsWith("- ")) {
        String arg = trimmed.substring(2);
        args.add(arg.contains("{{") ? arg.substring(0, arg.indexOf("{{")) : arg);
      }
    }
    return args;
  }

  private static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
