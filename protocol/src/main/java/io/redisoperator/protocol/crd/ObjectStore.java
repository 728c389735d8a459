package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/**
 * An S3 bucket (AWS or any S3-compatible store) and a key prefix. The credentials come from the
 * cluster's {@code spec.backup.credentialsSecret}, projected into its pods as files.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectStore {
  public static final String DEFAULT_REGION = "us-east-1";

  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  @JsonPropertyDescription("Bucket name (3-63 characters). The bucket must exist.")
  private String bucket;

  @JsonPropertyDescription("Key prefix inside the bucket, e.g. 'prod/redis'. Default: none.")
  private String path;

  @JsonPropertyDescription(
      "Endpoint URL of an S3-compatible store, e.g. 'https://minio.example:9000'. Default: AWS.")
  private String endpoint;

  @JsonPropertyDescription("Region (default us-east-1).")
  private String region;

  @JsonPropertyDescription(
      "Path-style addressing (endpoint/bucket/key), which most S3-compatible stores need.")
  private Boolean pathStyle;

  public ObjectStore() {}

  public ObjectStore(
      String bucket, String path, String endpoint, String region, Boolean pathStyle) {
    this.bucket = bucket;
    this.path = path;
    this.endpoint = endpoint;
    this.region = region;
    this.pathStyle = pathStyle;
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public Boolean getPathStyle() {
    return pathStyle;
  }

  public void setPathStyle(Boolean pathStyle) {
    this.pathStyle = pathStyle;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectStore other
        && Objects.equals(bucket, other.bucket)
        && Objects.equals(path, other.path)
        && Objects.equals(endpoint, other.endpoint)
        && Objects.equals(region, other.region)
        && Objects.equals(pathStyle, other.pathStyle);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, path, endpoint, region, pathStyle);
  }
}
