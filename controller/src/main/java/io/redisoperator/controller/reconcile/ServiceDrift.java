package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a Service the controller owns still selects and exposes what it built, and the patch that
 * puts it back: the steps that own Services (the cluster's, the sentinels') plan it alike.
 */
final class ServiceDrift {
  private ServiceDrift() {}

  /** Adds a patch of the selector and ports to {@code plan} when {@code actual} drifted. */
  static void plan(Plan plan, Service actual, Service desired) {
    boolean selectorDrifted =
        !Objects.equals(actual.getSpec().getSelector(), desired.getSpec().getSelector());
    boolean portsDrifted = !samePorts(actual.getSpec().getPorts(), desired.getSpec().getPorts());
    if (selectorDrifted || portsDrifted) {
      plan.add(
          new Action.Patch(
              Service.class,
              desired.getMetadata().getName(),
              Map.of(
                  "spec",
                  Map.of(
                      "selector",
                      desired.getSpec().getSelector(),
                      "ports",
                      desired.getSpec().getPorts())),
              "selector or ports drifted"));
    }
  }

  /** Compares only what the controller sets; the API server fills in defaults of its own. */
  static boolean samePorts(List<ServicePort> actual, List<ServicePort> desired) {
    if (actual == null || actual.size() != desired.size()) {
      return false;
    }
    for (int i = 0; i < desired.size(); i++) {
      ServicePort a = actual.get(i);
      ServicePort d = desired.get(i);
      if (!Objects.equals(a.getName(), d.getName())
          || !Objects.equals(a.getPort(), d.getPort())
          || !Objects.equals(a.getTargetPort(), d.getTargetPort())) {
        return false;
      }
    }
    return true;
  }
}
