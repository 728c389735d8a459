package io.redisoperator.testsupport;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * s3proxy in the test JVM (a filesystem store in the given directory) on 127.0.0.1 with AWS v4
 * authentication, and a client to check what it holds. The agent ITs and the sandbox's pods reach
 * it the same way, at {@link #endpoint()}.
 */
public final class S3TestStore implements AutoCloseable {
  public static final String ACCESS_KEY = "test-store-access";
  public static final String SECRET_KEY = "test-store-secret-key";

  private final S3Proxy proxy;
  private final S3Client client;
  private final String endpoint;

  public S3TestStore(Path dir) throws Exception {
    Files.createDirectories(dir);
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", dir.toAbsolutePath().toString());
    proxy =
        S3Proxy.builder()
            .blobStore(BlobStores.create("filesystem", props))
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .build();
    proxy.start();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> "STARTED".equals(proxy.getState()));
    endpoint = "http://127.0.0.1:" + proxy.getPort();
    client =
        S3Client.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
  }

  public String endpoint() {
    return endpoint;
  }

  public int port() {
    return proxy.getPort();
  }

  public S3Client client() {
    return client;
  }

  public void createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  public List<String> keys(String bucket) {
    return client.listObjectsV2(b -> b.bucket(bucket)).contents().stream()
        .map(S3Object::key)
        .toList();
  }

  public byte[] get(String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  /** Multipart uploads started and neither completed nor aborted: a transfer under way. */
  public int pendingUploads(String bucket) {
    return client.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
  }

  @Override
  public void close() throws Exception {
    client.close();
    proxy.stop();
  }
}
