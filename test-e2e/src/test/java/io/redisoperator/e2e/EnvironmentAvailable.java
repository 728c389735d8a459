package io.redisoperator.e2e;

import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Disables a scenario class, before anything starts, when the selected environment cannot run on
 * this machine (no operator jar for the sandbox, no Docker for k3s), printing why: the run reports
 * the scenarios as skipped, never as silently absent.
 */
final class EnvironmentAvailable implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (context.getTestMethod().isPresent() || context.getTestClass().isEmpty()) {
      return ConditionEvaluationResult.enabled("decided for the whole class");
    }
    EnvironmentKind kind = EnvironmentKind.selected();
    Optional<String> unavailable = kind.unavailableReason();
    if (unavailable.isEmpty()) {
      return ConditionEvaluationResult.enabled(kind + " is available");
    }
    kind.announceSkip(scenarioName(context.getRequiredTestClass()), unavailable.get());
    return ConditionEvaluationResult.disabled(unavailable.get());
  }

  /**
   * The scenario's report name, from a throwaway instance (scenario classes construct without side
   * effects).
   */
  private static String scenarioName(Class<?> testClass) {
    try {
      return ((ScenarioIT) testClass.getDeclaredConstructor().newInstance()).scenario();
    } catch (ReflectiveOperationException | ClassCastException e) {
      return testClass.getSimpleName();
    }
  }
}
