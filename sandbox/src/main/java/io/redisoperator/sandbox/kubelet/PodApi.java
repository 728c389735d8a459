package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a pod's processes reach and authenticate to the API server: the environment their Kubernetes
 * clients read, and the service-account tokens the kubelet projects into their volumes. Every pod
 * reaches the API server through its own endpoint on its pod IP ({@link
 * Kubelet#POD_API_SERVER_PORT}).
 */
public interface PodApi {

  /**
   * The environment entries of a pod's containers for API access; may write files under {@code
   * podDir} (outside the pod's root). {@code root} is the pod's file-system root, where its volumes
   * are mounted.
   */
  Map<String, String> env(String podIp, Path root, Path podDir) throws IOException;

  /** The token a serviceAccountToken projection of {@code pod} holds. */
  String serviceAccountToken(Pod pod, ServiceAccountTokenProjection projection)
      throws EnvResolver.MissingReference;

  /**
   * Whether the kubelet mounts a service-account directory into pods that have none (the mock API
   * server has no ServiceAccount admission plugin to add the projected volume).
   */
  boolean mountsServiceAccountDirectory();

  /**
   * The token for the placeholder service-account directory ({@link
   * #mountsServiceAccountDirectory()}).
   */
  String placeholderToken(Pod pod);

  /** The pod incarnation is gone: drop what was kept for it. */
  default void forget(String podUid) {}
}
