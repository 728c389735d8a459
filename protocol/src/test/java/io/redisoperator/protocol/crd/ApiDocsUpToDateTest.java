package io.redisoperator.protocol.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * docs/api.md is what {@link ApiReference} renders from the committed CRDs (themselves checked
 * against the model by {@link CrdUpToDateTest}). {@code make api-docs} runs this test with {@code
 * -Dapi.docs.write=true} to rewrite it.
 */
class ApiDocsUpToDateTest {
  @Test
  void apiReferenceMatchesTheCrds() throws IOException {
    String rendered = ApiReference.render();
    if (Boolean.getBoolean("api.docs.write")) {
      ApiReference.write();
    }
    assertTrue(
        Files.exists(ApiReference.DOC), ApiReference.DOC + " is missing: run `make api-docs`");
    assertEquals(
        rendered,
        Files.readString(ApiReference.DOC),
        "docs/api.md is out of date with the CRDs: run `make api-docs` and commit the result");
  }

  @Test
  void everyFieldOfTheModelHasARow() throws IOException {
    String rendered = ApiReference.render();
    for (String field :
        new String[] {
          "spec.instances",
          "spec.bootstrap.source.store.bucket",
          "spec.affinity",
          "status.instancesStatus.<key>.lagBytes",
          "status.conditions[].reason",
          "spec.schedule",
          "status.sha256"
        }) {
      assertTrue(rendered.contains("| `" + field + "` |"), field + " has no row");
    }
    // A Kubernetes type is one row, not its whole schema.
    assertTrue(rendered.contains("| `spec.affinity` | Kubernetes `Affinity` |"), rendered);
    assertTrue(!rendered.contains("spec.affinity.nodeAffinity"), "affinity's schema was expanded");
  }
}
