package io.redisoperator.protocol.crd;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Renders docs/api.md from the committed CRDs (generated from the model, descriptions from its
 * {@code @JsonPropertyDescription}s): one table per resource and top-level section, one row per
 * field with its type, constraints and description. Fields whose Java type is a Kubernetes one
 * (affinity, tolerations, resources, ...) are one row naming that type rather than its whole
 * schema.
 */
final class ApiReference {
  static final Path CRDS = Path.of("../charts/redis-operator/crds");
  static final Path DOC = Path.of("../docs/api.md");

  /** CRD file → the model's root class, in the order of the document. */
  static final Map<String, Class<?>> RESOURCES =
      new java.util.LinkedHashMap<>(
          Map.of(
              "redisclusters.redis.io-v1.yml", RedisCluster.class,
              "redisbackups.redis.io-v1.yml", RedisBackup.class,
              "redisscheduledbackups.redis.io-v1.yml", RedisScheduledBackup.class));

  private static final String KUBERNETES_MODEL = "io.fabric8.kubernetes.api.model";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiReference() {}

  static String render() throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("# API reference\n\n")
        .append("Every field of the custom resources, generated from the Java model (package\n")
        .append(
            "`io.redisoperator.protocol.crd`) through the CRDs in `charts/redis-operator/crds/`: run `make api-docs`\n")
        .append(
            "after changing the model (`make crds` first); `ApiDocsUpToDateTest` fails when this page is out of date.\n")
        .append("Fields typed with a Kubernetes type take that type's usual schema ")
        .append(
            "([Kubernetes API reference](https://kubernetes.io/docs/reference/kubernetes-api/)).\n");
    for (String file :
        List.of(
            "redisclusters.redis.io-v1.yml",
            "redisbackups.redis.io-v1.yml",
            "redisscheduledbackups.redis.io-v1.yml")) {
      renderResource(out, load(file), RESOURCES.get(file));
    }
    return out.toString();
  }

  private static CustomResourceDefinition load(String file) throws IOException {
    try (InputStream in = Files.newInputStream(CRDS.resolve(file))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
  }

  private static void renderResource(
      StringBuilder out, CustomResourceDefinition crd, Class<?> root) {
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    String kind = crd.getSpec().getNames().getKind();
    out.append("\n## ")
        .append(kind)
        .append("\n\n`apiVersion: ")
        .append(crd.getSpec().getGroup())
        .append('/')
        .append(version.getName())
        .append("`, ")
        .append(crd.getSpec().getScope().toLowerCase())
        .append(", `kubectl get ")
        .append(crd.getSpec().getNames().getPlural())
        .append('`');
    List<String> shortNames = crd.getSpec().getNames().getShortNames();
    if (shortNames != null && !shortNames.isEmpty()) {
      out.append(" (or ")
          .append(shortNames.stream().map(n -> "`" + n + "`").collect(Collectors.joining(", ")))
          .append(')');
    }
    out.append(".\n");
    JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
    JavaType rootType = MAPPER.constructType(root);
    for (Map.Entry<String, JSONSchemaProps> section : schema.getProperties().entrySet()) {
      out.append("\n### ").append(section.getKey()).append("\n\n");
      rules(section.getValue()).forEach(r -> out.append("Rule: ").append(r).append("\n\n"));
      out.append("| field | type | description |\n|---|---|---|\n");
      rows(
          out,
          section.getKey(),
          section.getValue(),
          property(rootType, section.getKey()).orElse(null));
    }
  }

  /** The rows of every property of {@code schema}, depth first. */
  private static void rows(
      StringBuilder out, String path, JSONSchemaProps schema, JavaType javaType) {
    if (schema.getProperties() == null) {
      return;
    }
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    for (Map.Entry<String, JSONSchemaProps> e : schema.getProperties().entrySet()) {
      String field = path + "." + e.getKey();
      JSONSchemaProps prop = e.getValue();
      JavaType fieldType = javaType == null ? null : property(javaType, e.getKey()).orElse(null);
      Optional<String> kubernetes = kubernetesType(fieldType);
      out.append("| `")
          .append(field)
          .append("` | ")
          .append(type(prop, kubernetes))
          .append(required.contains(e.getKey()) ? ", required" : "")
          .append(" | ")
          .append(description(prop))
          .append(" |\n");
      if (kubernetes.isPresent()) {
        continue;
      }
      if ("array".equals(prop.getType())
          && prop.getItems() != null
          && prop.getItems().getSchema() != null) {
        rows(out, field + "[]", prop.getItems().getSchema(), content(fieldType));
      } else if (prop.getAdditionalProperties() != null
          && prop.getAdditionalProperties().getSchema() != null) {
        rows(out, field + ".<key>", prop.getAdditionalProperties().getSchema(), content(fieldType));
      } else {
        rows(out, field, prop, fieldType);
      }
    }
  }

  private static Optional<JavaType> property(JavaType owner, String name) {
    if (owner == null || owner.getRawClass().getName().startsWith("java.")) {
      return Optional.empty();
    }
    BeanDescription bean = MAPPER.getSerializationConfig().introspect(owner);
    return bean.findProperties().stream()
        .filter(p -> p.getName().equals(name))
        .map(BeanPropertyDefinition::getPrimaryType)
        .findFirst();
  }

  private static JavaType content(JavaType type) {
    return type == null ? null : type.getContentType();
  }

  /**
   * The Kubernetes type a field holds (itself, or the elements or values of a list or map), if it
   * is one.
   */
  private static Optional<String> kubernetesType(JavaType type) {
    if (type == null) {
      return Optional.empty();
    }
    JavaType element = type.isContainerType() ? type.getContentType() : type;
    String name = element.getRawClass().getName();
    return name.startsWith(KUBERNETES_MODEL)
        ? Optional.of(element.getRawClass().getSimpleName())
        : Optional.empty();
  }

  private static String type(JSONSchemaProps prop, Optional<String> kubernetes) {
    if (kubernetes.isPresent()) {
      String k = "Kubernetes `" + kubernetes.get() + "`";
      return "array".equals(prop.getType()) ? "list of " + k : k;
    }
    if ("array".equals(prop.getType())) {
      JSONSchemaProps items = prop.getItems() == null ? null : prop.getItems().getSchema();
      return "list of " + (items == null ? "any" : items.getType());
    }
    if (prop.getAdditionalProperties() != null
        && prop.getAdditionalProperties().getSchema() != null) {
      return "map of " + prop.getAdditionalProperties().getSchema().getType();
    }
    return prop.getType() == null ? "any" : prop.getType();
  }

  private static String description(JSONSchemaProps prop) {
    List<String> parts = new ArrayList<>();
    if (prop.getDescription() != null) {
      parts.add(prop.getDescription().trim());
    }
    if (prop.getEnum() != null && !prop.getEnum().isEmpty()) {
      parts.add(
          "One of "
              + prop.getEnum().stream()
                  .map(v -> "`" + v.asText() + "`")
                  .collect(Collectors.joining(", "))
              + ".");
    }
    if (prop.getMinimum() != null) {
      parts.add("Minimum " + number(prop.getMinimum()) + ".");
    }
    if (prop.getMaximum() != null) {
      parts.add("Maximum " + number(prop.getMaximum()) + ".");
    }
    if (prop.getPattern() != null) {
      parts.add("Pattern `" + prop.getPattern() + "`.");
    }
    rules(prop).forEach(r -> parts.add("Rule: " + r + "."));
    return String.join(" ", parts).replace("|", "\\|").replace("\n", " ");
  }

  private static List<String> rules(JSONSchemaProps prop) {
    List<ValidationRule> rules = prop.getXKubernetesValidations();
    return rules == null
        ? List.of()
        : rules.stream().map(r -> r.getMessage() != null ? r.getMessage() : r.getRule()).toList();
  }

  private static String number(Double d) {
    return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
  }

  /** Writes docs/api.md: {@code make api-docs}. */
  static void write() throws IOException {
    Files.writeString(DOC, render());
  }
}
