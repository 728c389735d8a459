package io.redisoperator.agent.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.agent.ObjectLocation;
import io.redisoperator.testsupport.S3TestStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The single PUT against s3proxy (in this JVM) with the agent's own S3 client: the stored object is
 * the stream with its checksum, and a connection the network cuts mid-stream (one request, not
 * retried) or a writer that aborts leaves no object behind.
 */
class SinglePutStoreTest {
  private static final String BUCKET = "single";

  private S3TestStore store;

  @BeforeEach
  void setUp() throws Exception {
    store = new S3TestStore(Files.createTempDirectory("single-put-store"));
    store.createBucket(BUCKET);
  }

  @AfterEach
  void tearDown() throws Exception {
    store.close();
  }

  @Test
  void theStoredObjectIsTheStreamWithItsChecksum() throws Exception {
    byte[] data = random(6 * SinglePutStream.CHUNK_BYTES + 4321);
    ObjectLocation location = location(store.endpoint(), "whole.rdb");
    UploadStream.Result result;
    try (S3Client s3 = client(location);
        SinglePutStream put = SinglePutStream.open(s3, location, data.length, n -> {})) {
      for (int off = 0; off < data.length; off += 256 * 1024) {
        put.write(data, off, Math.min(256 * 1024, data.length - off));
      }
      result = put.complete();
    }
    assertArrayEquals(data, store.get(BUCKET, location.key()));
    assertEquals(sha256(data), result.sha256());
    assertEquals(data.length, result.sizeBytes());
  }

  @Test
  void aConnectionCutMidStreamFailsTheBackupAndLeavesNoObject() throws Exception {
    byte[] data = random(16 * SinglePutStream.CHUNK_BYTES);
    try (CuttingProxy proxy = new CuttingProxy(URI.create(store.endpoint()), 3L << 20)) {
      ObjectLocation location = location(proxy.endpoint(), "cut.rdb");
      try (S3Client s3 = client(location)) {
        Exception e =
            assertThrows(
                Exception.class,
                () -> {
                  try (SinglePutStream put =
                      SinglePutStream.open(s3, location, data.length, n -> {})) {
                    for (int off = 0; off < data.length; off += 256 * 1024) {
                      put.write(data, off, Math.min(256 * 1024, data.length - off));
                    }
                    put.complete();
                  }
                });
        assertTrue(proxy.forwarded.get() >= 3L << 20, "bytes really reached the store first");
        // The request's own failure, not a retry's: the SDK does not resend a streamed body.
        assertInstanceOf(SdkClientException.class, e);
        assertEquals(1, proxy.connections.get(), "one request, not retried");
      }
    }
    assertNoObjectEventually("cut.rdb");
  }

  @Test
  void aWriterThatFailsMidStreamLeavesNoObject() throws Exception {
    byte[] data = random(8 * SinglePutStream.CHUNK_BYTES);
    ObjectLocation location = location(store.endpoint(), "aborted.rdb");
    try (S3Client s3 = client(location)) {
      SinglePutStream put = SinglePutStream.open(s3, location, data.length, n -> {});
      put.write(data, 0, data.length - 1); // all but the last byte: the store has nearly all of it
      put.close(); // the snapshot failed: abort
      assertThrows(IOException.class, put::complete);
    }
    assertNoObjectEventually(location.key());
  }

  /**
   * The object never appears, and the store drops its temporary copy of the partial body (s3proxy's
   * filesystem store lists it as {@code <key>-<uuid>} while the request is open) once the
   * connection closes; a connection left open would keep it until the store's idle timeout.
   */
  private void assertNoObjectEventually(String key) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<String> keys = store.keys(BUCKET);
              assertFalse(keys.contains(key), "the object never appears");
              assertEquals(List.of(), keys);
            });
  }

  private S3Client client(ObjectLocation location) {
    return ObjectStoreClients.create(
        location, AwsBasicCredentials.create(S3TestStore.ACCESS_KEY, S3TestStore.SECRET_KEY));
  }

  private static ObjectLocation location(String endpoint, String key) {
    return new ObjectLocation(endpoint, "us-east-1", true, BUCKET, key);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  /**
   * Forwards connections to the store and cuts each one after {@code cutAfter} bytes towards it
   * (the network failing mid-transfer).
   */
  private static final class CuttingProxy implements AutoCloseable {
    final AtomicLong forwarded = new AtomicLong();
    final AtomicInteger connections = new AtomicInteger();
    private final ServerSocket server;
    private final Thread acceptor;

    CuttingProxy(URI target, long cutAfter) throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket client = server.accept();
                    connections.incrementAndGet();
                    Socket upstream = new Socket(target.getHost(), target.getPort());
                    pump(upstream.getInputStream(), client.getOutputStream(), Long.MAX_VALUE, null);
                    pump(
                        client.getInputStream(),
                        upstream.getOutputStream(),
                        cutAfter,
                        () -> {
                          closeQuietly(client);
                          closeQuietly(upstream);
                        });
                  } catch (IOException e) {
                    return; // closed
                  }
                }
              },
              "cutting-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String endpoint() {
      return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void pump(InputStream in, OutputStream out, long limit, Runnable cut) {
      Thread t =
          new Thread(
              () -> {
                byte[] buffer = new byte[64 * 1024];
                long sent = 0;
                try {
                  int n;
                  while ((n = in.read(buffer)) >= 0) {
                    int allowed = (int) Math.min(n, limit - sent);
                    out.write(buffer, 0, allowed);
                    sent += allowed;
                    if (cut != null) {
                      forwarded.addAndGet(allowed);
                    }
                    if (sent >= limit) {
                      cut.run();
                      return;
                    }
                  }
                } catch (IOException e) {
                  // the other side closed
                }
              },
              "cutting-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
