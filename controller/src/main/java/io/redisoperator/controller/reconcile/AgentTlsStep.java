package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.resources.AgentCertificates;
import io.redisoperator.controller.resources.ClusterAuthority;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.CertificateAuthority;
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
    // With a new CA the pods' certificates are issued in the same pass, so a new pod finds its
    // Secret at once.
    Optional<CertificateActions.Issuer> issuer =
        CertificateActions.authority(in, plan, ClusterAuthority.AGENT);
    if (issuer.isEmpty()) {
      return;
    }
    CertificateAuthority ca = issuer.get().ca();
    Secret caSecret = issuer.get().secret();
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
      CertificateActions.issueOrRenew(
          in,
          plan,
          ResourceNames.agentTlsSecret(podName),
          () -> AgentCertificates.podSecret(cluster, podName, ca, caSecret, in.now()),
          existing -> AgentCertificates.reissueReason(existing, podName, ca, caSecret, in.now()),
          "agent certificate");
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
