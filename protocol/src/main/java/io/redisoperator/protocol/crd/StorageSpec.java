package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.Objects;

/** Storage of each data instance. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
  /** A Kubernetes quantity: digits with an optional binary or decimal suffix. */
  /**
   * Why storage cannot change after creation (the CRD's CEL rule and the validator's second line
   * say it).
   */
  public static final String IMMUTABLE =
      "spec.storage is immutable: the operator neither resizes nor moves existing"
          + " volumes (create a new cluster and restore a backup into it)";

  public static final String QUANTITY_PATTERN =
      "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";

  @JsonPropertyDescription(
      "pvc (default) keeps data across pod restarts; emptyDir loses it with the pod.")
  private StorageType type = StorageType.PVC;

  @JsonPropertyDescription(
      "Requested size of each instance's volume, e.g. 1Gi. Required for type pvc.")
  @Pattern(QUANTITY_PATTERN)
  private String size = "1Gi";

  @JsonPropertyDescription("StorageClass of the PVCs; the cluster default when absent.")
  private String storageClassName;

  public StorageType getType() {
    return type;
  }

  public void setType(StorageType type) {
    this.type = type;
  }

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageSpec other
        && type == other.type
        && Objects.equals(size, other.size)
        && Objects.equals(storageClassName, other.storageClassName);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, size, storageClassName);
  }
}
