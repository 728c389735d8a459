package io.redisoperator.agent.fencing;

import io.redisoperator.agent.config.ConfigFiles;
import io.redisoperator.protocol.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The persistent record that this instance is fenced, kept on the data volume next to the dataset,
 * so a fence outlives agent and Redis restarts until it is explicitly lifted.
 *
 * @param selfFenced true when the agent fenced itself for isolation (it may lift that itself once
 *     the API server confirms it is still the primary); false for a fence the controller or a human
 *     asked for
 */
public record FenceMarker(String reason, boolean selfFenced, String since) {
  public static final String FILE_NAME = "redis-operator-fence.json";

  public static Optional<FenceMarker> load(Path dataDir) throws IOException {
    Path file = dataDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(Json.mapper().readValue(Files.readString(file), FenceMarker.class));
  }

  public static void save(Path dataDir, FenceMarker marker) throws IOException {
    ConfigFiles.writePrivate(dataDir.resolve(FILE_NAME), Json.mapper().writeValueAsString(marker));
  }

  public static void delete(Path dataDir) throws IOException {
    Files.deleteIfExists(dataDir.resolve(FILE_NAME));
  }
}
