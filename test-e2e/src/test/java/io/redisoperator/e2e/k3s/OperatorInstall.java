package io.redisoperator.e2e.k3s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.redisoperator.sandbox.api.ApiServer;
import java.util.concurrent.TimeUnit;

/** Installs the CRDs and the operator on a fresh cluster and waits until both are usable. */
final class OperatorInstall {
  private static final long CRD_TIMEOUT_SECONDS = 60;

  /** Includes scheduling and the first start of a JVM on a busy machine. */
  private static final long READY_TIMEOUT_SECONDS = 240;

  private OperatorInstall() {}

  static void install(KubernetesClient client, String operatorImage) {
    installCrds(client);
    for (HasMetadata object : OperatorManifests.all(operatorImage)) {
      client.resource(object).create();
    }
    awaitReady(client);
  }

  /**
   * The generated CRDs, waited on until Established: the sandbox's mock accepts any object, a real
   * API server only well-formed CRDs, so this is also where a broken CRD shows.
   */
  static void installCrds(KubernetesClient client) {
    for (CustomResourceDefinition crd : ApiServer.loadCrds()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
    for (CustomResourceDefinition crd : ApiServer.loadCrds()) {
      client
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .withName(crd.getMetadata().getName())
          .waitUntilCondition(
              c ->
                  c != null
                      && c.getStatus() != null
                      && c.getStatus().getConditions().stream()
                          .anyMatch(
                              x ->
                                  "Established".equals(x.getType())
                                      && "True".equals(x.getStatus())),
              CRD_TIMEOUT_SECONDS,
              TimeUnit.SECONDS);
    }
  }

  /**
   * Waits until the operator Deployment has a Ready controller, judged on a status that has seen
   * the latest spec (so a status from before a scale to 0 does not count).
   */
  static void awaitReady(KubernetesClient client) {
    client
        .apps()
        .deployments()
        .inNamespace(OperatorManifests.NAMESPACE)
        .withName(OperatorManifests.NAME)
        .waitUntilCondition(
            d ->
                d != null
                    && d.getStatus() != null
                    && d.getStatus().getObservedGeneration() != null
                    && d.getStatus().getObservedGeneration() >= d.getMetadata().getGeneration()
                    && d.getStatus().getReadyReplicas() != null
                    && d.getStatus().getReadyReplicas() >= 1,
            READY_TIMEOUT_SECONDS,
            TimeUnit.SECONDS);
  }
}
