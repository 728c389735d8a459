package io.redisoperator.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.elements.GivenClassesConjunction;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Planners and builders stay pure: no actors, no API client, no HTTP, no clock, no {@code System},
 * no files, so they are tested as plain functions of their input.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.redisoperator.controller");

  private static final String[] PURE_PACKAGES = {
    "io.redisoperator.controller.resources..",
    "io.redisoperator.controller.failover..",
    "io.redisoperator.controller.rollout..",
    "io.redisoperator.controller.observation..",
    "io.redisoperator.controller.reconcile..",
  };

  /**
   * The pure classes beside actor code: the sentinel builders, the cluster actor's memory (handed
   * the time by the actor, never reading a clock) and the backup actors' planners.
   */
  private static final Set<String> PURE_IN_MIXED_PACKAGES_NAMES =
      Set.of(
          "io.redisoperator.controller.backup.BackupAdmission",
          "io.redisoperator.controller.backup.BackupLifecycle",
          "io.redisoperator.controller.backup.BackupStart",
          "io.redisoperator.controller.backup.BackupStatusPatch",
          "io.redisoperator.controller.backup.BackupTargetPicker",
          "io.redisoperator.controller.backup.ClusterBackupSummary",
          "io.redisoperator.controller.backup.HistoryPlanner",
          "io.redisoperator.controller.backup.ObjectKeys",
          "io.redisoperator.controller.backup.RestoreSources",
          "io.redisoperator.controller.backup.RunningBackupJudge",
          "io.redisoperator.controller.backup.SchedulePlanner",
          "io.redisoperator.controller.sentinel.SentinelPodBuilder",
          "io.redisoperator.controller.sentinel.SentinelServiceBuilder",
          "io.redisoperator.controller.cluster.AgentOpCooldown",
          "io.redisoperator.controller.cluster.ClusterUpdateFilter",
          "io.redisoperator.controller.cluster.FenceWarnings",
          "io.redisoperator.controller.cluster.Overlay",
          "io.redisoperator.controller.cluster.PodReports",
          "io.redisoperator.controller.cluster.UserSecrets");

  private static final DescribedPredicate<JavaClass> PURE_IN_MIXED_PACKAGES =
      DescribedPredicate.describe(
          "pure classes in mixed packages",
          c ->
              PURE_IN_MIXED_PACKAGES_NAMES.contains(c.getName())
                  || c.getEnclosingClass()
                      .map(e -> PURE_IN_MIXED_PACKAGES_NAMES.contains(e.getName()))
                      .orElse(false));

  @Test
  void everyNamedPureClassExists() {
    for (String name : PURE_IN_MIXED_PACKAGES_NAMES) {
      assertTrue(CLASSES.contain(name), name + " is named as pure but does not exist");
    }
  }

  private static GivenClassesConjunction pureClasses() {
    return noClasses().that().resideInAnyPackage(PURE_PACKAGES).or(PURE_IN_MIXED_PACKAGES);
  }

  @Test
  void pureClassesDoNotTouchActorsOrTheApiClient() {
    pureClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.pekko..",
            "io.fabric8.kubernetes.client.dsl..",
            "io.fabric8.kubernetes.client.informers..",
            "io.redisoperator.controller.kube..",
            "io.redisoperator.controller.agent..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.fabric8.kubernetes.client.KubernetesClient")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.redisoperator.controller.pod.PodActor")
        .check(CLASSES);
  }

  @Test
  void pureClassesReadNoClockSystemOrFiles() {
    pureClasses()
        .should()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .orShould()
        .callMethod(System.class, "getProperty", String.class)
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(java.time.Clock.class.getName())
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("java.nio.file..", "java.net..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(java.io.File.class.getName())
        .check(CLASSES);
  }
}
