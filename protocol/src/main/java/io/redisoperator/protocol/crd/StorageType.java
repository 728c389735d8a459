package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a data pod keeps its dataset. */
public enum StorageType {
  /** A PersistentVolumeClaim per instance that outlives its pod. */
  @JsonProperty("pvc")
  PVC,
  /** An emptyDir: the dataset lives only as long as the pod (caches). */
  @JsonProperty("emptyDir")
  EMPTY_DIR
}
