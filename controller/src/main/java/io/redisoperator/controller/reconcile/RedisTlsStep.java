package io.redisoperator.controller.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.resources.RedisCertificates;
import io.redisoperator.protocol.crd.RedisCluster;
import io.redisoperator.protocol.crd.TlsSpec;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.CertificateAuthority;
import java.util.Map;
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
      String caName = ResourceNames.redisCaSecret(in.name());
      Optional<Secret> caSecret = in.owned().get(Secret.class, caName);
      if (caSecret.isEmpty()) {
        caSecret = Optional.of(RedisCertificates.caSecret(cluster, in.now()));
        plan.add(new Action.Create(caSecret.get()));
      }
      Optional<CertificateAuthority> ca = RedisCertificates.authority(caSecret.get());
      if (ca.isEmpty()) {
        Secret fresh = RedisCertificates.caSecret(cluster, in.now());
        plan.add(
            new Action.Patch(
                Secret.class,
                caName,
                Map.of("data", fresh.getData()),
                "Redis CA unreadable, replaced"));
        return;
      }
      String serverName = ResourceNames.redisTlsSecret(in.name());
      Optional<Secret> server = in.owned().get(Secret.class, serverName);
      if (server.isEmpty()) {
        plan.add(
            new Action.Create(
                RedisCertificates.serverSecret(cluster, ca.get(), caSecret.get(), in.now())));
      } else {
        Optional<String> reason =
            RedisCertificates.reissueReason(
                server.get(), cluster, ca.get(), caSecret.get(), in.now());
        if (reason.isPresent()) {
          Secret fresh =
              RedisCertificates.serverSecret(cluster, ca.get(), caSecret.get(), in.now());
          plan.add(
              new Action.Patch(
                  Secret.class,
                  serverName,
                  Map.of("data", fresh.getData()),
                  "Redis certificate " + reason.get()));
        }
      }
      caPem = RedisCertificates.caPem(caSecret.get());
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
