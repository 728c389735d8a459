package io.redisoperator.controller.backup;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.kube.KubeGateway;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.crd.ObjectStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The controller's only store operation: deleting a backup's object and manifest (deletionPolicy
 * Delete, schedule retention). The credentials are read from the cluster's Secret for each
 * deletion; the S3 calls run on {@code executor}, never on an actor.
 */
public final class StoreObjects {
  private final KubeGateway kube;
  private final Executor executor;

  public StoreObjects(KubeGateway kube, Executor executor) {
    this.kube = kube;
    this.executor = executor;
  }

  public CompletionStage<Void> delete(
      String namespace, String credentialsSecret, ObjectLocation location) {
    return kube.get(Secret.class, namespace, credentialsSecret)
        .thenApplyAsync(
            secret -> {
              Secret s =
                  secret.orElseThrow(
                      () ->
                          new IllegalStateException(
                              "credentials Secret " + credentialsSecret + " not found"));
              try (S3Client s3 = client(location, s.getData())) {
                s3.deleteObject(r -> r.bucket(location.bucket()).key(location.key()));
                s3.deleteObject(r -> r.bucket(location.bucket()).key(location.manifestKey()));
              }
              return (Void) null;
            },
            executor);
  }

  private static S3Client client(ObjectLocation location, Map<String, String> data) {
    String accessKey = decoded(data, InstanceLayout.BACKUP_KEY_ACCESS_KEY_ID);
    String secretKey = decoded(data, InstanceLayout.BACKUP_KEY_SECRET_ACCESS_KEY);
    var builder =
        S3Client.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(5))
                    .socketTimeout(Duration.ofSeconds(30))
                    .build())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
            .region(
                Region.of(
                    location.region() == null ? ObjectStore.DEFAULT_REGION : location.region()))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(location.pathStyle()).build());
    if (location.endpoint() != null && !location.endpoint().isBlank()) {
      builder.endpointOverride(URI.create(location.endpoint()));
    }
    return builder.build();
  }

  private static String decoded(Map<String, String> data, String key) {
    String v = data == null ? null : data.get(key);
    if (v == null) {
      throw new IllegalStateException("the credentials Secret has no key " + key);
    }
    return new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).strip();
  }
}
