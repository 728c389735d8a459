package io.redisoperator.agent.backup;

import io.redisoperator.protocol.agent.ObjectLocation;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Pure: turns what the SDK threw into one sentence an operator can act on. */
public final class StoreErrors {
  private StoreErrors() {}

  public static String describe(Throwable error, ObjectLocation location) {
    String store = location.endpoint() == null ? "S3" : location.endpoint();
    if (error instanceof NoSuchBucketException) {
      return "bucket " + location.bucket() + " does not exist at " + store;
    }
    if (error instanceof NoSuchKeyException) {
      return "no object " + location.uri() + " at " + store;
    }
    if (error instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      if ("NoSuchBucket".equals(code)) {
        return "bucket " + location.bucket() + " does not exist at " + store;
      }
      if (s3.statusCode() == 403
          || "InvalidAccessKeyId".equals(code)
          || "SignatureDoesNotMatch".equals(code)
          || "AccessDenied".equals(code)) {
        return "the store "
            + store
            + " refused the credentials ("
            + (code == null ? "HTTP 403" : code)
            + "): check the cluster's spec.backup.credentialsSecret";
      }
      return "the store "
          + store
          + " answered HTTP "
          + s3.statusCode()
          + (code == null ? "" : " " + code)
          + " for "
          + location.uri();
    }
    if (error instanceof SdkClientException) {
      for (Throwable c = error; c != null; c = c.getCause()) {
        if (c instanceof ConnectException || c instanceof UnknownHostException) {
          return "cannot reach the store at " + store + ": " + c.getMessage();
        }
        if (c instanceof SocketTimeoutException) {
          return "the store at " + store + " stopped answering: " + c.getMessage();
        }
      }
      return "cannot talk to the store at " + store + ": " + error.getMessage();
    }
    return String.valueOf(error.getMessage() == null ? error : error.getMessage());
  }
}
