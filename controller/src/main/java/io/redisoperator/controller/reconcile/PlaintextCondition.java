package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.redisoperator.controller.observation.InstanceObservation;
import io.redisoperator.controller.resources.SettingsConfigMapBuilder;
import io.redisoperator.protocol.agent.InstanceSettingsHash;
import io.redisoperator.protocol.crd.ConditionReason;
import io.redisoperator.protocol.crd.ConditionStatus;
import io.redisoperator.protocol.crd.ConditionType;
import io.redisoperator.protocol.crd.Conditions;
import io.redisoperator.protocol.crd.TlsSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Condition PlaintextServed: whether a TLS cluster still serves plaintext. True in the migration
 * mode (spec.tls.plaintextPort); once the field is removed, True until every answering data pod
 * reports the settings without it (its {@code configHash}), then False.
 */
final class PlaintextCondition {
  private PlaintextCondition() {}

  static void report(ReconcileInput in, Plan plan) {
    TlsSpec tls = in.cluster().getSpec().getTls();
    if (tls == null) {
      plan.dropCondition(ConditionType.PLAINTEXT_SERVED);
      return;
    }
    if (tls.getPlaintextPort() != null) {
      plan.condition(
          ConditionType.PLAINTEXT_SERVED,
          ConditionStatus.TRUE,
          ConditionReason.TLS_MIGRATION,
          "Redis serves plaintext on port "
              + tls.getPlaintextPort()
              + " beside TLS (spec.tls.plaintextPort); remove it once every client uses TLS");
      return;
    }
    String desired = InstanceSettingsHash.of(SettingsConfigMapBuilder.settings(in.cluster()));
    List<String> behind =
        DataPods.of(in).stream()
            .map(Pod::getMetadata)
            .map(m -> m.getName())
            .filter(
                pod -> {
                  Optional<InstanceObservation> o = in.instance(pod);
                  return o.isPresent()
                      && o.get().answering()
                      && !Objects.equals(desired, o.get().lastStatus().configHash());
                })
            .sorted()
            .toList();
    boolean wasServed =
        in.cluster().getStatus() != null
            && Conditions.find(
                    in.cluster().getStatus().getConditions(), ConditionType.PLAINTEXT_SERVED)
                .map(c -> c.getStatus() == ConditionStatus.TRUE)
                .orElse(false);
    if (wasServed && !behind.isEmpty()) {
      plan.condition(
          ConditionType.PLAINTEXT_SERVED,
          ConditionStatus.TRUE,
          ConditionReason.PLAINTEXT_CLOSING,
          "closing the plaintext port: " + String.join(", ", behind) + " not done yet");
      return;
    }
    plan.condition(
        ConditionType.PLAINTEXT_SERVED,
        ConditionStatus.FALSE,
        ConditionReason.TLS_ONLY,
        "Redis serves TLS only");
  }
}
