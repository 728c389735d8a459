package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes the files of secret, configMap, downwardAPI and projected volumes from the cached
 * objects. The kubelet compares the result with what it last wrote and swaps the directory when it
 * differs.
 */
final class ProjectedVolumes {
  static final int DEFAULT_MODE = 0644;

  private ProjectedVolumes() {}

  /** The token of a serviceAccountToken projection. */
  @FunctionalInterface
  interface TokenSource {
    String token(ServiceAccountTokenProjection projection) throws EnvResolver.MissingReference;
  }

  static boolean isProjected(Volume v) {
    return v.getSecret() != null
        || v.getConfigMap() != null
        || v.getProjected() != null
        || v.getDownwardAPI() != null;
  }

  /** The files of a projected-kind volume; throws when a non-optional source is missing. */
  static Map<String, FileContent> render(
      Pod pod,
      Volume volume,
      String podIp,
      String nodeAddress,
      ObjectSource objects,
      TokenSource tokens)
      throws EnvResolver.MissingReference {
    String ns = pod.getMetadata().getNamespace();
    Map<String, FileContent> files = new LinkedHashMap<>();
    if (volume.getSecret() != null) {
      var s = volume.getSecret();
      addSecret(
          files,
          objects,
          ns,
          s.getSecretName(),
          s.getItems(),
          mode(s.getDefaultMode()),
          s.getOptional());
    } else if (volume.getConfigMap() != null) {
      var c = volume.getConfigMap();
      addConfigMap(
          files, objects, ns, c.getName(), c.getItems(), mode(c.getDefaultMode()), c.getOptional());
    } else if (volume.getDownwardAPI() != null) {
      var d = volume.getDownwardAPI();
      addDownward(files, pod, podIp, nodeAddress, d.getItems(), mode(d.getDefaultMode()));
    } else if (volume.getProjected() != null) {
      int mode = mode(volume.getProjected().getDefaultMode());
      for (VolumeProjection source : volume.getProjected().getSources()) {
        if (source.getSecret() != null) {
          var s = source.getSecret();
          addSecret(files, objects, ns, s.getName(), s.getItems(), mode, s.getOptional());
        } else if (source.getConfigMap() != null) {
          var c = source.getConfigMap();
          addConfigMap(files, objects, ns, c.getName(), c.getItems(), mode, c.getOptional());
        } else if (source.getDownwardAPI() != null) {
          addDownward(files, pod, podIp, nodeAddress, source.getDownwardAPI().getItems(), mode);
        } else if (source.getServiceAccountToken() != null) {
          files.put(
              source.getServiceAccountToken().getPath(),
              new FileContent(
                  tokens.token(source.getServiceAccountToken()).getBytes(StandardCharsets.UTF_8),
                  mode));
        }
      }
    }
    return files;
  }

  /** A volume's {@code defaultMode}, or the kubelet's default when it has none. */
  private static int mode(Integer defaultMode) {
    return defaultMode == null ? DEFAULT_MODE : defaultMode;
  }

  /** The keys of Secret {@code name}, as a secret volume or a projected volume's secret source. */
  private static void addSecret(
      Map<String, FileContent> files,
      ObjectSource objects,
      String ns,
      String name,
      List<KeyToPath> items,
      int mode,
      Boolean optionalOrNull)
      throws EnvResolver.MissingReference {
    Optional<Secret> secret = objects.secret(ns, name);
    boolean optional = Boolean.TRUE.equals(optionalOrNull);
    if (secret.isEmpty()) {
      if (optional) {
        return;
      }
      throw new EnvResolver.MissingReference("secret " + name + " not found");
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (secret.get().getData() != null) {
      secret.get().getData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    if (secret.get().getStringData() != null) {
      secret
          .get()
          .getStringData()
          .forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    addItems(files, data, items, mode, "secret " + name, optional);
  }

  /** The keys of ConfigMap {@code name}, as a configMap volume or a projected source. */
  private static void addConfigMap(
      Map<String, FileContent> files,
      ObjectSource objects,
      String ns,
      String name,
      List<KeyToPath> items,
      int mode,
      Boolean optionalOrNull)
      throws EnvResolver.MissingReference {
    Optional<ConfigMap> configMap = objects.configMap(ns, name);
    boolean optional = Boolean.TRUE.equals(optionalOrNull);
    if (configMap.isEmpty()) {
      if (optional) {
        return;
      }
      throw new EnvResolver.MissingReference("configmap " + name + " not found");
    }
    Map<String, byte[]> data = new LinkedHashMap<>();
    if (configMap.get().getData() != null) {
      configMap.get().getData().forEach((k, v) -> data.put(k, v.getBytes(StandardCharsets.UTF_8)));
    }
    if (configMap.get().getBinaryData() != null) {
      configMap.get().getBinaryData().forEach((k, v) -> data.put(k, Base64.getDecoder().decode(v)));
    }
    addItems(files, data, items, mode, "configmap " + name, optional);
  }

  private static void addItems(
      Map<String, FileContent> files,
      Map<String, byte[]> data,
      List<KeyToPath> items,
      int mode,
      String what,
      boolean optional)
      throws EnvResolver.MissingReference {
    if (items == null || items.isEmpty()) {
      data.forEach((k, v) -> files.put(k, new FileContent(v, mode)));
      return;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (optional) {
          continue;
        }
        throw new EnvResolver.MissingReference(what + " has no key " + item.getKey());
      }
      files.put(
          item.getPath(), new FileContent(value, item.getMode() == null ? mode : item.getMode()));
    }
  }

  private static void addDownward(
      Map<String, FileContent> files,
      Pod pod,
      String podIp,
      String nodeAddress,
      List<DownwardAPIVolumeFile> items,
      int mode)
      throws EnvResolver.MissingReference {
    if (items == null) {
      return;
    }
    for (DownwardAPIVolumeFile item : items) {
      if (item.getFieldRef() == null) {
        continue;
      }
      String path = item.getFieldRef().getFieldPath();
      String value =
          DownwardApi.field(pod, podIp, nodeAddress, path)
              .orElseThrow(
                  () -> new EnvResolver.MissingReference("unsupported downwardAPI field " + path));
      files.put(
          item.getPath(),
          new FileContent(
              value.getBytes(StandardCharsets.UTF_8),
              item.getMode() == null ? mode : item.getMode()));
    }
  }
}
