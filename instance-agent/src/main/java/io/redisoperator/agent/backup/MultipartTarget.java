package io.redisoperator.agent.backup;

import io.redisoperator.protocol.agent.ObjectLocation;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One started multipart upload, as {@link MultipartUploadStream} drives it. Part uploads may run
 * concurrently.
 */
interface MultipartTarget {
  /**
   * Uploads one part (the remaining bytes of {@code body}, which is not modified meanwhile) and
   * returns its ETag.
   */
  String uploadPart(int partNumber, ByteBuffer body);

  /** Makes the object visible from its parts, in part-number order. */
  void complete(List<CompletedPart> parts);

  /** Discards the parts; the object never appears. */
  void abort();

  /** Where the object goes, for messages. */
  String uri();

  /** Starts a multipart upload to {@code location}. */
  static MultipartTarget start(S3Client s3, ObjectLocation location) {
    String uploadId =
        s3.createMultipartUpload(
                b ->
                    b.bucket(location.bucket())
                        .key(location.key())
                        .contentType("application/octet-stream"))
            .uploadId();
    return new MultipartTarget() {
      @Override
      public String uploadPart(int partNumber, ByteBuffer body) {
        long length = body.remaining();
        return s3.uploadPart(
                r ->
                    r.bucket(location.bucket())
                        .key(location.key())
                        .uploadId(uploadId)
                        .partNumber(partNumber)
                        .contentLength(length),
                // Read in place (a retry reads it again from the start), never copied to the heap.
                RequestBody.fromContentProvider(
                    () -> new ByteBufferInputStream(body.duplicate()),
                    length,
                    "application/octet-stream"))
            .eTag();
      }

      @Override
      public void complete(List<CompletedPart> parts) {
        s3.completeMultipartUpload(
            r ->
                r.bucket(location.bucket())
                    .key(location.key())
                    .uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
      }

      @Override
      public void abort() {
        s3.abortMultipartUpload(
            r -> r.bucket(location.bucket()).key(location.key()).uploadId(uploadId));
      }

      @Override
      public String uri() {
        return location.uri();
      }
    };
  }

  /** Reads a buffer's remaining bytes. */
  final class ByteBufferInputStream extends InputStream {
    private final ByteBuffer buffer;

    ByteBufferInputStream(ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (!buffer.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }

    @Override
    public int available() {
      return buffer.remaining();
    }
  }
}
