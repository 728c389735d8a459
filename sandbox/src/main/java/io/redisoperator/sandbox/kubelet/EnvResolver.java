package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A container's environment as the kubelet builds it: envFrom, then env (literal, Downward API, key
 * refs).
 */
final class EnvResolver {
  private EnvResolver() {}

  /**
   * Thrown when a non-optional referenced object or key is missing: the container cannot start yet.
   */
  static final class MissingReference extends Exception {
    MissingReference(String message) {
      super(message);
    }
  }

  static Map<String, String> resolve(
      Pod pod, Container container, String podIp, String nodeAddress, ObjectSource objects)
      throws MissingReference {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnvFrom() != null) {
      for (EnvFromSource from : container.getEnvFrom()) {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        if (from.getConfigMapRef() != null) {
          Optional<ConfigMap> cm = objects.configMap(ns, from.getConfigMapRef().getName());
          if (cm.isEmpty() && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            throw new MissingReference(
                "configmap " + from.getConfigMapRef().getName() + " not found");
          }
          cm.map(ConfigMap::getData).ifPresent(d -> d.forEach((k, v) -> env.put(prefix + k, v)));
        }
        if (from.getSecretRef() != null) {
          Optional<Secret> s = objects.secret(ns, from.getSecretRef().getName());
          if (s.isEmpty() && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
            throw new MissingReference("secret " + from.getSecretRef().getName() + " not found");
          }
          s.map(Secret::getData)
              .ifPresent(d -> d.forEach((k, v) -> env.put(prefix + k, decode(v))));
        }
      }
    }
    if (container.getEnv() != null) {
      for (EnvVar var : container.getEnv()) {
        if (var.getValueFrom() == null) {
          env.put(
              var.getName(),
              var.getValue() == null ? "" : ContainerCommand.expand(var.getValue(), env));
        } else {
          Optional<String> value = fromSource(pod, var.getValueFrom(), podIp, nodeAddress, objects);
          value.ifPresent(v -> env.put(var.getName(), v));
        }
      }
    }
    return env;
  }

  private static Optional<String> fromSource(
      Pod pod, EnvVarSource source, String podIp, String nodeAddress, ObjectSource objects)
      throws MissingReference {
    String ns = pod.getMetadata().getNamespace();
    if (source.getFieldRef() != null) {
      String path = source.getFieldRef().getFieldPath();
      return Optional.of(
          DownwardApi.field(pod, podIp, nodeAddress, path)
              .orElseThrow(() -> new MissingReference("unsupported fieldRef " + path)));
    }
    if (source.getSecretKeyRef() != null) {
      var ref = source.getSecretKeyRef();
      Optional<String> v =
          objects
              .secret(ns, ref.getName())
              .flatMap(s -> Optional.ofNullable(s.getData()).map(d -> d.get(ref.getKey())))
              .map(EnvResolver::decode);
      if (v.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new MissingReference(
            "secret " + ref.getName() + " key " + ref.getKey() + " not found");
      }
      return v;
    }
    if (source.getConfigMapKeyRef() != null) {
      var ref = source.getConfigMapKeyRef();
      Optional<String> v =
          objects
              .configMap(ns, ref.getName())
              .flatMap(c -> Optional.ofNullable(c.getData()).map(d -> d.get(ref.getKey())));
      if (v.isEmpty() && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new MissingReference(
            "configmap " + ref.getName() + " key " + ref.getKey() + " not found");
      }
      return v;
    }
    if (source.getResourceFieldRef() != null) {
      // No cgroups here: report 0 (unlimited) like a container without limits would see as node
      // capacity.
      return Optional.of("0");
    }
    return Optional.empty();
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
