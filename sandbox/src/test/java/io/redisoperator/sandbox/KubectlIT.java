package io.redisoperator.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.protocol.crd.RedisCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plain kubectl (the control plane's own, same release) with the administrator's kubeconfig works
 * against the sandbox: apply with server-side schema validation, get by short name, label,
 * annotate, delete.
 */
class KubectlIT {
  private static Sandbox sandbox;
  private static KubernetesClient client;
  private static Path kubectl;
  private static Path kubeconfig;

  @BeforeAll
  static void start() {
    sandbox = TestPods.startSandbox();
    client = sandbox.client();
    kubectl = sandbox.controlPlane().orElseThrow().kubectl();
    kubeconfig =
        sandbox
            .controlPlane()
            .orElseThrow()
            .admin()
            .write(Path.of("target", "kubectl-it.kubeconfig").toAbsolutePath());
  }

  @AfterAll
  static void stop() {
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void appliesGetsLabelsAnnotatesAndDeletesRedisClustersAndPods() throws Exception {
    Path manifest = Path.of("..", "examples", "rediscluster.yaml");
    assertTrue(Files.isRegularFile(manifest), "examples/rediscluster.yaml exists");
    assertEquals(0, kubectl("apply", "-f", manifest.toString()).exitCode, "apply");
    RedisCluster applied =
        client.resources(RedisCluster.class).inNamespace("default").withName("example").get();
    assertEquals(3, applied.getSpec().getInstances());

    Result get = kubectl("get", "redisclusters", "-o", "name");
    assertEquals("rediscluster.redis.io/example", get.output.trim(), get.output);
    assertEquals(
        0,
        kubectl("annotate", "rediscluster", "example", "redis.io/switchover-to=example-1")
            .exitCode);
    assertEquals(0, kubectl("label", "rdc", "example", "team=a").exitCode, "short name works");
    RedisCluster annotated =
        client.resources(RedisCluster.class).inNamespace("default").withName("example").get();
    assertEquals(
        "example-1", annotated.getMetadata().getAnnotations().get("redis.io/switchover-to"));
    assertEquals("a", annotated.getMetadata().getLabels().get("team"));

    client.resource(TestPods.webPod("kubectl-pod", "k")).create();
    TestPods.await(client, "kubectl-pod", TestPods::isReady);
    Result pods = kubectl("get", "pods", "-l", "app=k", "-o", "jsonpath={.items[0].status.podIP}");
    assertTrue(pods.output.startsWith("127.0.1"), pods.output);
    assertEquals(
        0, kubectl("delete", "pod", "kubectl-pod", "--grace-period=0", "--force").exitCode);
    assertEquals(0, kubectl("delete", "rediscluster", "example").exitCode);
    assertEquals(
        null,
        client.resources(RedisCluster.class).inNamespace("default").withName("example").get());
  }

  private record Result(int exitCode, String output) {}

  private static Result kubectl(String... args) throws IOException, InterruptedException {
    List<String> argv =
        new ArrayList<>(List.of(kubectl.toString(), "--request-timeout=20s", "-n", "default"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, out);
    }
    System.out.println(
        "kubectl " + String.join(" ", args) + " -> " + p.exitValue() + ": " + out.trim());
    return new Result(p.exitValue(), out);
  }
}
