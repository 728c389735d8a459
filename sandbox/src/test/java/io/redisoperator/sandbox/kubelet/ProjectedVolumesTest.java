package io.redisoperator.sandbox.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The files the kubelet writes for secret, configMap, downwardAPI and projected volumes. */
class ProjectedVolumesTest {
  private static final Pod POD =
      new PodBuilder().withNewMetadata().withName("rc-0").withNamespace("ns").endMetadata().build();

  private final Map<String, Secret> secrets =
      Map.of(
          "auth",
          new SecretBuilder()
              .withNewMetadata()
              .withName("auth")
              .endMetadata()
              .addToData("password", base64("s3cret"))
              .addToStringData("user", "admin")
              .build());
  private final Map<String, ConfigMap> configMaps =
      Map.of(
          "settings",
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("settings")
              .endMetadata()
              .addToData("redis.conf", "maxmemory 1mb")
              .addToBinaryData("blob", base64("\u0001"))
              .build());
  private final ObjectSource objects =
      new ObjectSource() {
        @Override
        public Optional<Secret> secret(String namespace, String name) {
          return "ns".equals(namespace) ? Optional.ofNullable(secrets.get(name)) : Optional.empty();
        }

        @Override
        public Optional<ConfigMap> configMap(String namespace, String name) {
          return "ns".equals(namespace)
              ? Optional.ofNullable(configMaps.get(name))
              : Optional.empty();
        }
      };

  private Map<String, FileContent> render(Volume volume) throws Exception {
    return ProjectedVolumes.render(
        POD,
        volume,
        "10.0.0.5",
        "10.0.1.1",
        objects,
        projection -> "token-" + projection.getPath());
  }

  @Test
  void aSecretVolumeHasEveryKeyAtTheDefaultMode() throws Exception {
    Volume volume =
        new VolumeBuilder()
            .withName("v")
            .withNewSecret()
            .withSecretName("auth")
            .endSecret()
            .build();
    assertEquals(
        Map.of(
            "password", file("s3cret", ProjectedVolumes.DEFAULT_MODE),
            "user", file("admin", ProjectedVolumes.DEFAULT_MODE)),
        render(volume));
  }

  @Test
  void aConfigMapVolumeMapsItsItemsAtTheirModes() throws Exception {
    Volume volume =
        new VolumeBuilder()
            .withName("v")
            .withNewConfigMap()
            .withName("settings")
            .withDefaultMode(0400)
            .addNewItem()
            .withKey("redis.conf")
            .withPath("conf/redis.conf")
            .endItem()
            .addNewItem()
            .withKey("blob")
            .withPath("blob.bin")
            .withMode(0600)
            .endItem()
            .endConfigMap()
            .build();
    assertEquals(
        Map.of("conf/redis.conf", file("maxmemory 1mb", 0400), "blob.bin", file("\u0001", 0600)),
        render(volume));
  }

  @Test
  void aProjectedVolumeGivesEverySourceItsDefaultMode() throws Exception {
    Volume volume =
        new VolumeBuilder()
            .withName("v")
            .withNewProjected()
            .withDefaultMode(0440)
            .addNewSource()
            .withNewSecret()
            .withName("auth")
            .addNewItem()
            .withKey("password")
            .withPath("pw")
            .endItem()
            .endSecret()
            .endSource()
            .addNewSource()
            .withNewConfigMap()
            .withName("settings")
            .addNewItem()
            .withKey("redis.conf")
            .withPath("redis.conf")
            .endItem()
            .endConfigMap()
            .endSource()
            .addNewSource()
            .withNewDownwardAPI()
            .addNewItem()
            .withPath("name")
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endItem()
            .endDownwardAPI()
            .endSource()
            .addNewSource()
            .withNewServiceAccountToken()
            .withPath("token")
            .endServiceAccountToken()
            .endSource()
            .endProjected()
            .build();
    assertEquals(
        Map.of(
            "pw", file("s3cret", 0440),
            "redis.conf", file("maxmemory 1mb", 0440),
            "name", file("rc-0", 0440),
            "token", file("token-token", 0440)),
        render(volume));
  }

  @Test
  void aMissingObjectIsSkippedOnlyWhenOptional() throws Exception {
    assertEquals(Map.of(), render(missingSecret(true)));
    assertThrows(EnvResolver.MissingReference.class, () -> render(missingSecret(null)));
    assertEquals(Map.of(), render(missingProjectedConfigMap(true)));
    assertThrows(EnvResolver.MissingReference.class, () -> render(missingProjectedConfigMap(null)));
  }

  /** A secret volume of a Secret that does not exist; {@code optional} null: not said. */
  private static Volume missingSecret(Boolean optional) {
    return new VolumeBuilder()
        .withName("v")
        .withNewSecret()
        .withSecretName("gone")
        .withOptional(optional)
        .endSecret()
        .build();
  }

  /** A projected volume whose one source is a ConfigMap that does not exist. */
  private static Volume missingProjectedConfigMap(Boolean optional) {
    return new VolumeBuilder()
        .withName("v")
        .withNewProjected()
        .addNewSource()
        .withNewConfigMap()
        .withName("gone")
        .withOptional(optional)
        .endConfigMap()
        .endSource()
        .endProjected()
        .build();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static FileContent file(String text, int mode) {
    return new FileContent(text.getBytes(StandardCharsets.UTF_8), mode);
  }
}
