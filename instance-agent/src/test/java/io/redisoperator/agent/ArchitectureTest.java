package io.redisoperator.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The deciding code stays pure, so it is unit-tested without Pekko, Kubernetes or Redis. */
class ArchitectureTest {
  private static final JavaClasses AGENT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.redisoperator.agent");

  @Test
  void renderersParsersAndPoliciesAreFreeOfRuntimeLibraries() {
    noClasses()
        .that()
        .resideInAPackage("..agent.config..")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.kube.BootGuard")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.fencing.SelfFencingPolicy")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.instance.TickPlanner")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.instance.ApiReadPlanner")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.instance.QueuedRequestExpiry")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.fencing.IsolationPausePolicy")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.redis.InfoParser")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.http.RequestBodies")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.sentinel.SentinelConf")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.sentinel.MonitorDecision")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.backup.RestoreDecision")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.backup.AofManifest")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.backup.BackupRequests")
        .or()
        .haveFullyQualifiedName("io.redisoperator.agent.backup.RedisFileNames")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.pekko..", "io.fabric8.kubernetes.client..", "io.lettuce..")
        .check(AGENT);
  }
}
