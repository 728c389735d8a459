package io.redisoperator.agent.backup;

import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.protocol.crd.ObjectStore;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the S3 client of one transfer: the location's endpoint, region and addressing, the current
 * credentials.
 */
public final class ObjectStoreClients {
  /**
   * A store that accepts no connection within this is reported unreachable instead of hanging the
   * backup.
   */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * No byte for this long on an open connection: the transfer fails (a stalled store never leaves
   * it Running).
   */
  static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private ObjectStoreClients() {}

  public static S3Client create(ObjectLocation location, AwsCredentials credentials) {
    var builder =
        S3Client.builder()
            .httpClient(
                new DisconnectOnFailureHttpClient(
                    UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT)
                        .build()))
            .credentialsProvider(StaticCredentialsProvider.create(credentials))
            .region(
                Region.of(
                    location.region() == null ? ObjectStore.DEFAULT_REGION : location.region()))
            // The SHA-256 of the whole object is computed and verified by the operator itself; the
            // SDK's own
            // per-request checksums stay at what S3 requires, which every S3-compatible store
            // supports.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(
                ClientOverrideConfiguration.builder().retryStrategy(RetryMode.STANDARD).build())
            .serviceConfiguration(
                S3Configuration.builder().pathStyleAccessEnabled(location.pathStyle()).build());
    if (location.endpoint() != null && !location.endpoint().isBlank()) {
      builder.endpointOverride(URI.create(location.endpoint()));
    }
    return builder.build();
  }
}
