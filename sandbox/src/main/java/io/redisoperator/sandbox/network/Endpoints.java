package io.redisoperator.sandbox.network;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What the endpoints controller computes: the ready pod addresses behind one port of a Service. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * Pods of the Service's namespace whose labels contain the (equality) selector, that are Ready,
   * have an IP and are not terminating, mapped to the port's target port. A Service without a
   * selector has no endpoints.
   */
  public static List<InetSocketAddress> ready(
      Service service, ServicePort port, Collection<Pod> pods) {
    Map<String, String> selector = service.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return List.of();
    }
    String namespace = service.getMetadata().getNamespace();
    return pods.stream()
        .filter(p -> Objects.equals(namespace, p.getMetadata().getNamespace()))
        .filter(p -> matches(selector, p.getMetadata().getLabels()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(Endpoints::isReady)
        .flatMap(
            p ->
                targetPort(port, p)
                    .map(n -> new InetSocketAddress(p.getStatus().getPodIP(), n))
                    .stream())
        .sorted((a, b) -> a.getHostString().compareTo(b.getHostString()))
        .toList();
  }

  static boolean matches(Map<String, String> selector, Map<String, String> labels) {
    if (labels == null) {
      return false;
    }
    return selector.entrySet().stream()
        .allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
  }

  static boolean isReady(Pod pod) {
    if (pod.getStatus() == null
        || pod.getStatus().getPodIP() == null
        || pod.getStatus().getConditions() == null) {
      return false;
    }
    return pod.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The port number on the pod: a number, a named container port, or the service port itself. */
  static Optional<Integer> targetPort(ServicePort port, Pod pod) {
    IntOrString target = port.getTargetPort();
    if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
      return Optional.of(port.getPort());
    }
    if (target.getIntVal() != null) {
      return Optional.of(target.getIntVal());
    }
    return pod.getSpec().getContainers().stream()
        .flatMap(
            c ->
                c.getPorts() == null
                    ? java.util.stream.Stream.<ContainerPort>empty()
                    : c.getPorts().stream())
        .filter(p -> target.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst();
  }
}
