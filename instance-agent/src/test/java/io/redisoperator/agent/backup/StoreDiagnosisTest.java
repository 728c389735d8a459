package io.redisoperator.agent.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.testsupport.S3TestStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * s3proxy (in this JVM) answers a PUT it refuses before reading the body and closes the connection,
 * so the agent's own client sees only its failed write; the diagnosis recovers the reason.
 */
class StoreDiagnosisTest {
  private static final String BUCKET = "present";

  /** What the JDK's client reports when the store closed the connection during the body. */
  private static final SdkClientException CUT_WRITE =
      SdkClientException.create(
          "Unable to execute HTTP request: Error writing request body to server");

  private S3TestStore store;

  @BeforeEach
  void setUp() throws Exception {
    store = new S3TestStore(Files.createTempDirectory("store-diagnosis"));
    store.createBucket(BUCKET);
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
  }

  @Test
  void aStreamedPutToAMissingBucketSaysTheBucketIsMissing() throws Exception {
    ObjectLocation location = location(store.endpoint(), "gone");
    try (S3Client s3 = client(location, S3TestStore.SECRET_KEY)) {
      RuntimeException failure = streamedPutFails(s3, location);
      // Here the failure is the client's cut write (3 runs of 3), which alone says only "cannot
      // talk
      // to the store"; a store that drained the body first would have answered 404 itself.
      String said = StoreDiagnosis.describe(s3, location, failure);
      assertTrue(said.contains("bucket gone does not exist"), said);
    }
  }

  @Test
  void aStreamedPutWithRefusedCredentialsSaysSo() throws Exception {
    ObjectLocation location = location(store.endpoint(), BUCKET);
    try (S3Client s3 = client(location, "not-the-secret")) {
      String said = StoreDiagnosis.describe(s3, location, streamedPutFails(s3, location));
      assertTrue(said.contains("refused the credentials"), said);
      assertTrue(said.contains("spec.backup.credentialsSecret"), said);
    }
  }

  @Test
  void aCutWriteToABucketThatExistsKeepsItsOwnError() {
    ObjectLocation location = location(store.endpoint(), BUCKET);
    try (S3Client s3 = client(location, S3TestStore.SECRET_KEY)) {
      assertEquals(
          StoreErrors.describe(CUT_WRITE, location),
          StoreDiagnosis.describe(s3, location, CUT_WRITE));
    }
  }

  @Test
  void anUnreachableStoreKeepsTheOriginalError() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    ObjectLocation location = location("http://127.0.0.1:" + closedPort, BUCKET);
    try (S3Client s3 = client(location, S3TestStore.SECRET_KEY)) {
      assertEquals(
          StoreErrors.describe(CUT_WRITE, location),
          StoreDiagnosis.describe(s3, location, CUT_WRITE));
    }
  }

  @Test
  void anAnswerFromTheStoreIsNotSecondGuessed() {
    NoSuchBucketException answered =
        NoSuchBucketException.builder().statusCode(404).message("gone").build();
    // The bucket exists now: a HEAD would contradict the answer, so none is made.
    ObjectLocation location = location(store.endpoint(), BUCKET);
    try (S3Client s3 = client(location, S3TestStore.SECRET_KEY)) {
      assertTrue(
          StoreDiagnosis.describe(s3, location, answered).contains("does not exist"),
          StoreDiagnosis.describe(s3, location, answered));
    }
  }

  /** A body far larger than the socket buffers, so the store's early close cuts the write. */
  private static RuntimeException streamedPutFails(S3Client s3, ObjectLocation location) {
    byte[] data = new byte[8 * SinglePutStream.CHUNK_BYTES];
    new Random(7).nextBytes(data);
    return assertThrows(
        RuntimeException.class,
        () -> {
          try (SinglePutStream put = SinglePutStream.open(s3, location, data.length, n -> {})) {
            put.write(data, 0, data.length);
            put.complete();
          }
        });
  }

  private static S3Client client(ObjectLocation location, String secret) {
    return ObjectStoreClients.create(
        location, AwsBasicCredentials.create(S3TestStore.ACCESS_KEY, secret));
  }

  private static ObjectLocation location(String endpoint, String bucket) {
    return new ObjectLocation(endpoint, "us-east-1", true, bucket, "ns/rc/k.rdb");
  }
}
