package io.redisoperator.e2e.k3s;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.e2e.PodReadiness;
import io.redisoperator.e2e.k3s.PortForwardProxy.Target;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where a new proxied connection goes, looked up fresh from the API server for every connection.
 */
final class ForwardTargets {
  private ForwardTargets() {}

  /**
   * A ready endpoint of the Service, as kube-proxy would pick one: the pods matching the Service's
   * (equality) selector that are Ready and not terminating, one at random, on the Service port's
   * target port.
   */
  static Supplier<Optional<Target>> serviceEndpoint(
      KubernetesClient client, String namespace, String service, int port) {
    return () -> {
      Service svc = client.services().inNamespace(namespace).withName(service).get();
      if (svc == null
          || svc.getSpec() == null
          || svc.getSpec().getSelector() == null
          || svc.getSpec().getSelector().isEmpty()) {
        return Optional.empty();
      }
      ServicePort servicePort =
          svc.getSpec().getPorts().stream()
              .filter(p -> p.getPort() == port)
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "service " + namespace + "/" + service + " has no port " + port));
      Map<String, String> selector = svc.getSpec().getSelector();
      List<Pod> ready =
          client.pods().inNamespace(namespace).withLabels(selector).list().getItems().stream()
              .filter(PodReadiness::isReady)
              .toList();
      if (ready.isEmpty()) {
        return Optional.empty();
      }
      Pod pod = ready.get(ThreadLocalRandom.current().nextInt(ready.size()));
      return targetPort(pod, servicePort.getTargetPort(), port)
          .map(p -> new Target(namespace, pod.getMetadata().getName(), p));
    };
  }

  /**
   * The pod that has this IP now, in any namespace (a running one preferred over one that is
   * shutting down), so an address taken from {@code status.podIP} works as it would inside the
   * cluster.
   */
  static Supplier<Optional<Target>> podWithIp(KubernetesClient client, String podIp, int port) {
    return () ->
        client.pods().inAnyNamespace().withField("status.podIP", podIp).list().getItems().stream()
            .filter(p -> p.getStatus() != null && podIp.equals(p.getStatus().getPodIP()))
            .min(Comparator.comparing(p -> p.getMetadata().getDeletionTimestamp() != null))
            .map(p -> new Target(p.getMetadata().getNamespace(), p.getMetadata().getName(), port));
  }

  /**
   * A numeric target port as is; a named one looked up in the pod's containers; none means the
   * Service port.
   */
  static Optional<Integer> targetPort(Pod pod, IntOrString targetPort, int servicePort) {
    if (targetPort == null) {
      return Optional.of(servicePort);
    }
    if (targetPort.getIntVal() != null) {
      return Optional.of(targetPort.getIntVal());
    }
    return pod.getSpec().getContainers().stream()
        .flatMap(c -> c.getPorts() == null ? Stream.<ContainerPort>empty() : c.getPorts().stream())
        .filter(p -> targetPort.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst();
  }
}
