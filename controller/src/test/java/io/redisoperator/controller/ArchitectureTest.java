package io.redisoperator.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Planners and builders stay pure: no actors, no API client, no HTTP, so they are tested as plain functions. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.redisoperator.controller");

  @Test
  void plannersAndBuildersDoNotTouchActorsOrTheApiClient() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.redisoperator.controller.resources..",
            "io.redisoperator.controller.failover..",
            "io.redisoperator.controller.rollout..",
            "io.redisoperator.controller.observation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.pekko..", "io.fabric8.kubernetes.client.dsl..", "io.fabric8.kubernetes.client.informers..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClient")
        .check(CLASSES);
  }

  @Test
  void reconcileStepsAreFreeOfActorsAndIo() {
    noClasses()
        .that()
        .implement(io.redisoperator.controller.cluster.ReconcileStep.class)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.pekko..", "io.fabric8.kubernetes.client..", "io.redisoperator.controller.kube..",
            "io.redisoperator.controller.agent..")
        .check(CLASSES);
  }
}
