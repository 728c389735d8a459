package io.redisoperator.e2e;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.naming.ResourceNames;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a compromised data pod holds (its own agent certificate, the CA certificate) does not let it
 * drive a sibling's agent: a promote of a replica with a replica's credentials is refused at the
 * TLS handshake, and the replica stays a replica. The controller's kind of certificate (minted here
 * from the CA key, which only the controller reads) does reach the same agent, so the refusal is
 * the credential's and not the network's.
 */
@Tag("ci")
class AgentCredentialsIT extends ScenarioIT {
  @Override
  String scenario() {
    return "data-pod-credentials-cannot-drive-a-sibling";
  }

  @Test
  void aDataPodsCertificateCannotPromoteASibling() throws Exception {
    long start = System.nanoTime();
    List<String> problems = new ArrayList<>();
    List<String> replicas = new ArrayList<>(cluster.pods().keySet());
    replicas.remove(initialPrimary);
    String attacker = replicas.get(0);
    String victim = replicas.get(1);
    Secret attackerSecret = secret(ResourceNames.agentTlsSecret(attacker));
    KeyMaterial stolen =
        KeyMaterial.fromPem(
            value(attackerSecret, InstanceLayout.SECRET_KEY_TLS_CERT),
            value(attackerSecret, InstanceLayout.SECRET_KEY_TLS_KEY));
    var trusted = Pem.certificates(value(attackerSecret, InstanceLayout.SECRET_KEY_CA_CERT));
    InetSocketAddress victimAgent = env.podAddress(cluster.podIp(victim), AgentApi.PORT);

    try {
      int status =
          post(
              AgentTls.clientContext(stolen, trusted, victim),
              victimAgent,
              AgentApi.PATH_PROMOTE,
              "{}");
      problems.add(
          "the agent of " + victim + " answered " + status + " to " + attacker + "'s certificate");
    } catch (IOException expected) {
      // refused at the handshake
    }

    Secret caSecret = secret(ResourceNames.agentCaSecret(CLUSTER));
    CertificateAuthority ca =
        CertificateAuthority.fromPem(
            value(caSecret, InstanceLayout.SECRET_KEY_CA_CERT), value(caSecret, "ca.key"));
    KeyMaterial controller =
        ca.issue(
            CertificateRequest.client(AgentTls.CONTROLLER_NAME, Duration.ofMinutes(10)),
            Instant.now());
    int controllerStatus =
        get(AgentTls.clientContext(controller, trusted, victim), victimAgent, AgentApi.PATH_STATUS);
    if (controllerStatus != 200) {
      problems.add(
          "the controller's kind of certificate got " + controllerStatus + " from " + victim);
    }
    try (var redis = cluster.connectToPod(victim)) {
      String role = RedisClusterFixture.parseInfo(redis.sync().info("replication")).get("role");
      if (!"slave".equals(role)) {
        problems.add(victim + " is " + role + " after the refused promote");
      }
    }
    finish(start, 0, null, problems, true);
  }

  private Secret secret(String name) {
    return env.client().secrets().inNamespace(NAMESPACE).withName(name).get();
  }

  private static String value(Secret secret, String key) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static int post(SSLContext tls, InetSocketAddress agent, String path, String body)
      throws Exception {
    return send(
        tls,
        HttpRequest.newBuilder(uri(agent, path)).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static int get(SSLContext tls, InetSocketAddress agent, String path) throws Exception {
    return send(tls, HttpRequest.newBuilder(uri(agent, path)).GET());
  }

  private static URI uri(InetSocketAddress agent, String path) {
    return URI.create("https://" + agent.getHostString() + ":" + agent.getPort() + path);
  }

  private static int send(SSLContext tls, HttpRequest.Builder request) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    return client
        .send(
            request
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
