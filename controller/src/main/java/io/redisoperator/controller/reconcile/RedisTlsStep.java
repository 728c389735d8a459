package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.resources.ClusterAuthority;
import io.redisoperator.controller.resources.RedisCertificates;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.util.Objects;
import java.util.Optional;

/**
 * spec.tls: with operator-issued certificates, the Redis CA and the server certificate every pod
 * serves, issued again before it expires or when the pods' names change (the agents apply it live);
 * in both modes the Secret clients read. Without spec.tls, what the operator issued for it is
 * removed.
 */
public final class RedisTlsStep implements ReconcileStep {

  @Override
  public void plan(ReconcileInput in, Plan plan) {
    RedisCluster cluster = in.cluster();
    TlsSpec tls = cluster.getSpec().getTls();
    PlaintextCondition.report(in, plan);
    if (tls == null) {
      for (String name :
          new String[] {
            ResourceNames.redisTlsSecret(in.name()),
            ResourceNames.redisCaSecret(in.name()),
            ResourceNames.tlsClientSecret(in.name())
          }) {
        if (in.owned().get(Secret.class, name).isPresent()) {
          plan.add(new Action.Delete(Secret.class, name, "spec.tls removed"));
        }
      }
      return;
    }
    String caPem = null;
    if (tls.operatorManaged()) {
      Optional<CertificateActions.Issuer> issuer =
          CertificateActions.authority(in, plan, ClusterAuthority.REDIS);
      if (issuer.isEmpty()) {
        return;
      }
      CertificateAuthority ca = issuer.get().ca();
      Secret caSecret = issuer.get().secret();
      CertificateActions.issueOrRenew(
          in,
          plan,
          ResourceNames.redisTlsSecret(in.name()),
          () -> RedisCertificates.serverSecret(cluster, ca, caSecret, in.now()),
          existing -> RedisCertificates.reissueReason(existing, cluster, ca, caSecret, in.now()),
          "Redis certificate");
      caPem = RedisCertificates.caPem(caSecret);
    }
    Secret client = RedisCertificates.clientSecret(cluster, caPem);
    String clientName = client.getMetadata().getName();
    in.owned()
        .get(Secret.class, clientName)
        .ifPresentOrElse(
            existing -> {
              if (!Objects.equals(existing.getData(), client.getData())) {
                plan.add(
                    new Action.Patch(
                        Secret.class,
                        clientName,
                        DataPatch.replacing(existing.getData(), client.getData()),
                        "client settings changed"));
              }
            },
            () -> plan.add(new Action.Create(client)));
  }
}
