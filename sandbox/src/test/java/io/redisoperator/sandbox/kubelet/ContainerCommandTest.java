package io.redisoperator.sandbox.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerCommandTest {
  private static final KubeletConfig CONFIG =
      new KubeletConfig(
          "127.0.100.1",
          "http://127.0.0.1:1",
          Path.of("/opt/redis-operator.jar"),
          "/usr/bin/java",
          List.of("-Xmx64m"),
          Duration.ofSeconds(1),
          Duration.ofSeconds(1),
          Path.of("/tmp"));

  @Test
  void theOperatorEntrypointRunsTheJarWithTheRestOfTheCommand() {
    Container c =
        new ContainerBuilder()
            .withName("redis")
            .withCommand("/redis-operator", "instance")
            .withArgs("--pod-ip", "$(POD_IP)")
            .build();
    assertEquals(
        List.of(
            "/usr/bin/java",
            "-Xmx64m",
            "-jar",
            "/opt/redis-operator.jar",
            "instance",
            "--pod-ip",
            "127.0.100.9"),
        ContainerCommand.argv(c, Map.of("POD_IP", "127.0.100.9"), CONFIG));
  }

  @Test
  void otherCommandsRunAsLocalPrograms() {
    Container c = new ContainerBuilder().withName("x").withCommand("sleep", "5").build();
    assertEquals(List.of("sleep", "5"), ContainerCommand.argv(c, Map.of(), CONFIG));
  }

  @Test
  void expandsReferencesLikeKubernetes() {
    Map<String, String> env = Map.of("A", "1");
    assertEquals("1-$(B)-$(A)", ContainerCommand.expand("$(A)-$(B)-$$(A)", env));
  }

  @Test
  void withoutCommandTheOperatorImageRunsItsEntrypointWithTheArgs() {
    Container c =
        new ContainerBuilder()
            .withName("controller")
            .withImage(NodeImages.OPERATOR_IMAGE)
            .withArgs("controller", "--metrics-port=$(PORT)")
            .build();
    assertEquals(
        List.of(
            "/usr/bin/java",
            "-Xmx64m",
            "-jar",
            "/opt/redis-operator.jar",
            "controller",
            "--metrics-port=8080"),
        ContainerCommand.argv(c, Map.of("PORT", "8080"), CONFIG));
  }

  @Test
  void withoutCommandNorArgsTheOperatorImageRunsItsCmd() {
    Container c = new ContainerBuilder().withName("x").withImage(NodeImages.OPERATOR_IMAGE).build();
    assertEquals(
        List.of("/usr/bin/java", "-Xmx64m", "-jar", "/opt/redis-operator.jar", "--help"),
        ContainerCommand.argv(c, Map.of(), CONFIG));
  }

  @Test
  void aContainerWithoutCommandIsRejectedWithAReason() {
    Container c = new ContainerBuilder().withName("x").withImage("redis").build();
    assertThrows(IllegalArgumentException.class, () -> ContainerCommand.argv(c, Map.of(), CONFIG));
  }
}
