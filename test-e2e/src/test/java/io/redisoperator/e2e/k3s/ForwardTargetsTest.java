package io.redisoperator.e2e.k3s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForwardTargetsTest {
  private static final Pod POD =
      new PodBuilder()
          .withNewSpec()
          .addNewContainer()
          .withName("redis")
          .addNewPort()
          .withName("agent")
          .withContainerPort(8000)
          .endPort()
          .addNewPort()
          .withName("redis")
          .withContainerPort(6379)
          .endPort()
          .endContainer()
          .endSpec()
          .build();

  @Test
  void targetPortIsNumericNamedOrTheServicePort() {
    assertEquals(Optional.of(7000), ForwardTargets.targetPort(POD, new IntOrString(7000), 6379));
    assertEquals(Optional.of(6379), ForwardTargets.targetPort(POD, new IntOrString("redis"), 1234));
    assertEquals(Optional.of(6379), ForwardTargets.targetPort(POD, null, 6379));
    assertEquals(
        Optional.empty(), ForwardTargets.targetPort(POD, new IntOrString("metrics"), 6379));
  }
}
