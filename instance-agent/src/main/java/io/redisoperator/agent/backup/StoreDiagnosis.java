package io.redisoperator.agent.backup;

import io.redisoperator.protocol.agent.ObjectLocation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Finds the reason behind an upload the store cut. A store may refuse a PUT (a missing bucket,
 * credentials it does not accept) before it has read the body and then close the connection; the
 * client, still sending, only sees its write fail ("Error writing request body") and the store's
 * answer is lost. One HEAD of the bucket recovers those two reasons.
 */
final class StoreDiagnosis {
  private StoreDiagnosis() {}

  /**
   * One sentence for {@code failure} ({@link StoreErrors}), with the store asked once when the
   * failure is the client's own, that is when the store's answer never arrived.
   */
  static String describe(S3Client s3, ObjectLocation location, Throwable failure) {
    if (!(failure instanceof SdkClientException)) {
      return StoreErrors.describe(failure, location);
    }
    try {
      s3.headBucket(r -> r.bucket(location.bucket()));
    } catch (NoSuchBucketException missing) {
      return StoreErrors.describe(missing, location);
    } catch (S3Exception answered) {
      if (answered.statusCode() == 404) {
        return StoreErrors.describe(answered, location);
      }
      if (answered.statusCode() == 403) {
        // A HEAD needs list rights a PUT-only policy lacks: the sentence says what was seen.
        return "the store "
            + (location.endpoint() == null ? "S3" : location.endpoint())
            + " cut the upload and refused the credentials a HEAD of bucket "
            + location.bucket()
            + " (HTTP 403): check the cluster's spec.backup.credentialsSecret and that it may"
            + " read the bucket";
      }
    } catch (RuntimeException unreachable) {
      // The HEAD says nothing certain either: the upload's own error stands.
    }
    return StoreErrors.describe(failure, location);
  }
}
