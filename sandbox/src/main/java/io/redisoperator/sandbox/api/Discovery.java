package io.redisoperator.sandbox.api;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.kubernetes.api.model.ServerAddressByClientCIDRBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents kubectl reads before any command (/version, /api, /apis, /api/v1,
 * /apis/GROUP/VERSION): the built-in kinds the operator uses plus the installed CRDs. The CRUD mock
 * would otherwise answer these paths with a list of stored objects.
 */
final class Discovery {
  private static final List<String> VERBS =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final Map<String, String> documents = new LinkedHashMap<>();

  Discovery(List<CustomResourceDefinition> crds, String serverAddress) {
    Map<String, List<APIResource>> groups = new LinkedHashMap<>();
    groups.put("v1", coreResources());
    groups.put(
        "apps/v1",
        List.of(
            resource("deployments", "deployment", "Deployment", true, "deploy"),
            resource("statefulsets", "statefulset", "StatefulSet", true, "sts")));
    groups.put(
        "policy/v1",
        List.of(
            resource(
                "poddisruptionbudgets",
                "poddisruptionbudget",
                "PodDisruptionBudget",
                true,
                "pdb")));
    groups.put(
        "rbac.authorization.k8s.io/v1",
        List.of(
            resource("roles", "role", "Role", true),
            resource("rolebindings", "rolebinding", "RoleBinding", true),
            resource("clusterroles", "clusterrole", "ClusterRole", false),
            resource("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false)));
    groups.put("coordination.k8s.io/v1", List.of(resource("leases", "lease", "Lease", true)));
    groups.put(
        "apiextensions.k8s.io/v1",
        List.of(
            resource(
                "customresourcedefinitions",
                "customresourcedefinition",
                "CustomResourceDefinition",
                false,
                "crd",
                "crds")));
    for (CustomResourceDefinition crd : crds) {
      for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
        String groupVersion = crd.getSpec().getGroup() + "/" + version.getName();
        List<APIResource> resources = new ArrayList<>(groups.getOrDefault(groupVersion, List.of()));
        resources.add(crdResource(crd));
        if (version.getSubresources() != null && version.getSubresources().getStatus() != null) {
          resources.add(
              subresource(
                  crd.getSpec().getNames().getPlural() + "/status",
                  crd.getSpec().getNames().getKind(),
                  crd.getSpec().getScope().equals("Namespaced")));
        }
        groups.put(groupVersion, resources);
      }
    }
    documents.put(
        "/version",
        Serialization.asJson(
            Map.of(
                "major",
                "1",
                "minor",
                "30",
                "gitVersion",
                "v1.30.0-redis-sandbox",
                "platform",
                "linux/amd64",
                "goVersion",
                "n/a",
                "compiler",
                "n/a",
                "gitCommit",
                "n/a",
                "gitTreeState",
                "clean",
                "buildDate",
                "2026-01-01T00:00:00Z")));
    documents.put(
        "/api",
        Serialization.asJson(
            new APIVersionsBuilder()
                .withKind("APIVersions")
                .withVersions("v1")
                .withServerAddressByClientCIDRs(
                    new ServerAddressByClientCIDRBuilder()
                        .withClientCIDR("0.0.0.0/0")
                        .withServerAddress(serverAddress)
                        .build())
                .build()));
    List<APIGroup> apiGroups = new ArrayList<>();
    Map<String, List<String>> versionsByGroup = new LinkedHashMap<>();
    groups.keySet().stream()
        .filter(gv -> gv.contains("/"))
        .forEach(
            gv ->
                versionsByGroup
                    .computeIfAbsent(gv.substring(0, gv.indexOf('/')), g -> new ArrayList<>())
                    .add(gv));
    versionsByGroup.forEach(
        (group, gvs) ->
            apiGroups.add(
                new APIGroupBuilder()
                    .withName(group)
                    .withVersions(
                        gvs.stream()
                            .map(
                                gv ->
                                    new GroupVersionForDiscoveryBuilder()
                                        .withGroupVersion(gv)
                                        .withVersion(gv.substring(gv.indexOf('/') + 1))
                                        .build())
                            .toList())
                    .withPreferredVersion(
                        new GroupVersionForDiscoveryBuilder()
                            .withGroupVersion(gvs.get(0))
                            .withVersion(gvs.get(0).substring(gvs.get(0).indexOf('/') + 1))
                            .build())
                    .build()));
    documents.put(
        "/apis",
        Serialization.asJson(
            new APIGroupListBuilder()
                .withKind("APIGroupList")
                .withApiVersion("v1")
                .withGroups(apiGroups)
                .build()));
    groups.forEach(
        (gv, resources) ->
            documents.put(
                gv.equals("v1") ? "/api/v1" : "/apis/" + gv,
                Serialization.asJson(
                    new APIResourceListBuilder()
                        .withKind("APIResourceList")
                        .withApiVersion("v1")
                        .withGroupVersion(gv)
                        .withResources(resources)
                        .build())));
  }

  /**
   * The document for a GET path (query ignored: kubectl appends {@code ?timeout=32s}), if it is a
   * discovery path.
   */
  Optional<String> document(String path) {
    int query = path.indexOf('?');
    String bare = query < 0 ? path : path.substring(0, query);
    if (bare.length() > 1 && bare.endsWith("/")) {
      bare = bare.substring(0, bare.length() - 1);
    }
    return Optional.ofNullable(documents.get(bare));
  }

  private static List<APIResource> coreResources() {
    return List.of(
        resource("pods", "pod", "Pod", true, "po"),
        subresource("pods/status", "Pod", true),
        subresource("pods/log", "Pod", true),
        resource("services", "service", "Service", true, "svc"),
        subresource("services/status", "Service", true),
        resource("endpoints", "endpoints", "Endpoints", true, "ep"),
        resource(
            "persistentvolumeclaims",
            "persistentvolumeclaim",
            "PersistentVolumeClaim",
            true,
            "pvc"),
        subresource("persistentvolumeclaims/status", "PersistentVolumeClaim", true),
        resource("persistentvolumes", "persistentvolume", "PersistentVolume", false, "pv"),
        resource("secrets", "secret", "Secret", true),
        resource("configmaps", "configmap", "ConfigMap", true, "cm"),
        resource("serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa"),
        resource("events", "event", "Event", true, "ev"),
        resource("namespaces", "namespace", "Namespace", false, "ns"),
        resource("nodes", "node", "Node", false, "no"));
  }

  private static APIResource resource(
      String plural, String singular, String kind, boolean namespaced, String... shortNames) {
    return new APIResourceBuilder()
        .withName(plural)
        .withSingularName(singular)
        .withKind(kind)
        .withNamespaced(namespaced)
        .withVerbs(VERBS)
        .withShortNames(shortNames.length == 0 ? null : List.of(shortNames))
        .build();
  }

  private static APIResource subresource(String name, String kind, boolean namespaced) {
    return new APIResourceBuilder()
        .withName(name)
        .withSingularName("")
        .withKind(kind)
        .withNamespaced(namespaced)
        .withVerbs(List.of("get", "patch", "update"))
        .build();
  }

  private static APIResource crdResource(CustomResourceDefinition crd) {
    var names = crd.getSpec().getNames();
    return new APIResourceBuilder()
        .withName(names.getPlural())
        .withSingularName(names.getSingular())
        .withKind(names.getKind())
        .withNamespaced("Namespaced".equals(crd.getSpec().getScope()))
        .withVerbs(VERBS)
        .withShortNames(names.getShortNames())
        .withCategories(names.getCategories())
        .build();
  }
}
