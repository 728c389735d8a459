package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Field paths of the Downward API, resolved against a pod and the address the kubelet gave it. */
final class DownwardApi {
  private static final Pattern MAP_KEY =
      Pattern.compile("^metadata\\.(labels|annotations)\\['(.+)'\\]$");

  private DownwardApi() {}

  static Optional<String> field(Pod pod, String podIp, String nodeAddress, String fieldPath) {
    var meta = pod.getMetadata();
    switch (fieldPath) {
      case "metadata.name":
        return Optional.of(meta.getName());
      case "metadata.namespace":
        return Optional.of(meta.getNamespace());
      case "metadata.uid":
        return Optional.ofNullable(meta.getUid());
      case "metadata.labels":
        return Optional.of(asLines(meta.getLabels()));
      case "metadata.annotations":
        return Optional.of(asLines(meta.getAnnotations()));
      case "status.podIP":
      case "status.podIPs":
        return Optional.ofNullable(podIp);
      case "status.hostIP":
      case "status.hostIPs":
        return Optional.of(nodeAddress);
      case "spec.nodeName":
        return Optional.of("sandbox");
      case "spec.serviceAccountName":
        return Optional.ofNullable(pod.getSpec().getServiceAccountName());
      default:
        Matcher m = MAP_KEY.matcher(fieldPath);
        if (m.matches()) {
          Map<String, String> map =
              m.group(1).equals("labels") ? meta.getLabels() : meta.getAnnotations();
          return Optional.of(map == null ? "" : map.getOrDefault(m.group(2), ""));
        }
        return Optional.empty();
    }
  }

  /** The kubelet's format for label/annotation files: {@code key="value"} lines, sorted. */
  private static String asLines(Map<String, String> map) {
    if (map == null) {
      return "";
    }
    return new TreeMap<>(map)
        .entrySet().stream()
            .map(
                e ->
                    e.getKey()
                        + "=\""
                        + e.getValue()
                            .replace("\\", "\\\\")
                            .replace("\"", "\\\"")
                            .replace("\n", "\\n")
                        + "\"")
            .collect(Collectors.joining("\n"));
  }
}
