package io.redisoperator.agent.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.testsupport.S3TestStore;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The concurrent multipart upload against s3proxy (in this JVM) with the agent's own S3 client: the
 * stored object is the stream, and a part the store refuses leaves neither an object nor an
 * unfinished upload behind.
 */
class MultipartUploadStoreTest {
  private static final String BUCKET = "parts";
  private static final int PART = MultipartUploadStream.MIN_PART_BYTES;

  private S3TestStore store;
  private S3Client s3;

  @BeforeEach
  void setUp() throws Exception {
    store = new S3TestStore(Files.createTempDirectory("multipart-store"));
    store.createBucket(BUCKET);
    s3 =
        ObjectStoreClients.create(
            location("unused"),
            AwsBasicCredentials.create(S3TestStore.ACCESS_KEY, S3TestStore.SECRET_KEY));
  }

  @AfterEach
  void tearDown() throws Exception {
    s3.close();
    store.close();
  }

  @Test
  void severalPartsUploadedConcurrentlyStoreTheStreamAsWritten() throws Exception {
    byte[] data = random(3 * PART + 12_345);
    ObjectLocation location = location("several.rdb");
    MultipartUploadStream.Result result;
    try (MultipartUploadStream upload =
        MultipartUploadStream.open(s3, location, data.length, new PartBuffers(PART, 3), n -> {})) {
      for (int off = 0; off < data.length; off += 256 * 1024) {
        upload.write(data, off, Math.min(256 * 1024, data.length - off));
      }
      result = upload.complete();
    }
    assertArrayEquals(data, store.get(BUCKET, location.key()));
    assertEquals(sha256(data), result.sha256());
    assertEquals(data.length, result.sizeBytes());
    assertEquals(0, store.pendingUploads(BUCKET));
  }

  @Test
  void aRefusedPartLeavesNoObjectAndNoUnfinishedUpload() throws Exception {
    ObjectLocation location = location("refused.rdb");
    MultipartTarget real = MultipartTarget.start(s3, location);
    AtomicInteger sent = new AtomicInteger();
    java.util.concurrent.CountDownLatch firstTwoStored = new java.util.concurrent.CountDownLatch(2);
    MultipartTarget failingThird =
        new MultipartTarget() {
          @Override
          public String uploadPart(int partNumber, java.nio.ByteBuffer body) {
            if (partNumber == 3) {
              // Refused once parts 1 and 2 are in the store, so the abort has parts to remove.
              try {
                firstTwoStored.await(60, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              throw new IllegalStateException("part 3 refused");
            }
            String etag = real.uploadPart(partNumber, body);
            sent.incrementAndGet();
            firstTwoStored.countDown();
            return etag;
          }

          @Override
          public void complete(List<CompletedPart> parts) {
            real.complete(parts);
          }

          @Override
          public void abort() {
            real.abort();
          }

          @Override
          public String uri() {
            return real.uri();
          }
        };
    byte[] data = random(6 * PART);
    assertThrows(
        IllegalStateException.class,
        () -> {
          try (MultipartUploadStream upload =
              new MultipartUploadStream(
                  failingThird, new PartBuffers(PART, 3), data.length, 2, n -> {})) {
            upload.write(data, 0, data.length);
            upload.complete();
          }
        });
    assertTrue(sent.get() >= 2, "parts really reached the store before the failure");
    assertEquals(List.of(), store.keys(BUCKET));
    assertEquals(0, store.pendingUploads(BUCKET));
  }

  private ObjectLocation location(String key) {
    return new ObjectLocation(store.endpoint(), "us-east-1", true, BUCKET, key);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] data) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IOException(e);
    }
  }
}
