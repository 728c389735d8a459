package io.redisoperator.protocol.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs in the chart are generated from the model: this fails when someone changed one without
 * the other.
 */
class CrdUpToDateTest {
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
  static final Path COMMITTED = Path.of("../charts/redis-operator/crds");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "redisclusters.redis.io-v1.yml",
        "redisbackups.redis.io-v1.yml",
        "redisscheduledbackups.redis.io-v1.yml"
      })
  void committedCrdMatchesTheGeneratedOne(String file) throws IOException {
    Path generated = GENERATED.resolve(file);
    Path committed = COMMITTED.resolve(file);
    assertTrue(Files.exists(generated), "the build did not generate " + generated);
    assertTrue(Files.exists(committed), committed + " is missing: run `make crds`");
    List<String> expected = Files.readAllLines(generated);
    List<String> actual = Files.readAllLines(committed);
    assertEquals(
        String.join("\n", expected),
        String.join("\n", actual),
        committed + " is out of date with the Java model: run `make crds` and commit the result");
  }
}
