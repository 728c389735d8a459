package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.resources.AgentCertificates;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The agent API's certificates: the cluster's agent CA, and for every data pod that exists or is
 * wanted its own certificate Secret, issued again before it expires (or when the CA changed) and
 * deleted with the pod. The agents reload a renewed certificate from their projected volume, so
 * nothing restarts.
 */
public final class AgentTlsStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    RedisCluster cluster = in.cluster();
    String caName = ResourceNames.agentCaSecret(in.name());
    Optional<Secret> caSecret = in.owned().get(Secret.class, caName);
    if (caSecret.isEmpty()) {
      // The pods' certificates are issued from the new CA in the same pass, so a new pod finds its
      // Secret at once.
      caSecret = Optional.of(AgentCertificates.caSecret(cluster, in.now()));
      plan.add(new Action.Create(caSecret.get()));
    }
    Optional<CertificateAuthority> ca = AgentCertificates.authority(caSecret.get());
    if (ca.isEmpty()) {
      Secret fresh = AgentCertificates.caSecret(cluster, in.now());
      plan.add(
          new Action.Patch(
              Secret.class,
              caName,
              Map.of("data", fresh.getData()),
              "agent CA unreadable, replaced"));
      return;
    }
    Set<String> pods = new TreeSet<>();
    for (int i = 0; i < in.instances(); i++) {
      pods.add(ResourceNames.podName(in.name(), i));
    }
    for (Pod pod : in.owned().all(Pod.class)) {
      String podName = pod.getMetadata().getName();
      if (ResourceNames.ordinalOf(in.name(), podName).isPresent()) {
        pods.add(podName);
      }
    }
    for (String podName : pods) {
      String secretName = ResourceNames.agentTlsSecret(podName);
      Optional<Secret> existing = in.owned().get(Secret.class, secretName);
      if (existing.isEmpty()) {
        plan.add(
            new Action.Create(
                AgentCertificates.podSecret(cluster, podName, ca.get(), caSecret.get(), in.now())));
        continue;
      }
      Optional<String> reason =
          AgentCertificates.reissueReason(
              existing.get(), podName, ca.get(), caSecret.get(), in.now());
      if (reason.isPresent()) {
        Secret fresh =
            AgentCertificates.podSecret(cluster, podName, ca.get(), caSecret.get(), in.now());
        plan.add(
            new Action.Patch(
                Secret.class,
                secretName,
                Map.of("data", fresh.getData()),
                "agent certificate " + reason.get()));
      }
    }
    for (Secret secret : in.owned().all(Secret.class)) {
      String name = secret.getMetadata().getName();
      if (name.endsWith(AGENT_TLS_SUFFIX)) {
        String podName = name.substring(0, name.length() - AGENT_TLS_SUFFIX.length());
        if (ResourceNames.ordinalOf(in.name(), podName).isPresent() && !pods.contains(podName)) {
          plan.add(new Action.Delete(Secret.class, name, "its pod is gone"));
        }
      }
    }
  }

  private static final String AGENT_TLS_SUFFIX = ResourceNames.agentTlsSecret("");
}
