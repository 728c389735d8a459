package io.redisoperator.bench.scale;

import com.fasterxml.jackson.databind.JsonNode;
import io.redisoperator.protocol.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/** The API server's audit log as the requests it completed, for the benchmark's readings. */
final class AuditEvents {
  private AuditEvents() {}

  /** Reads {@code auditLog} once and hands its completed requests to {@code reading}. */
  static <T> T read(Path auditLog, Function<Stream<JsonNode>, T> reading) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(auditLog)) {
      return reading.apply(completed(reader.lines()));
    }
  }

  /** Each line's event when its request completed; a line cut by rotation is skipped. */
  static Stream<JsonNode> completed(Stream<String> lines) {
    return lines
        .map(AuditEvents::parse)
        .flatMap(Optional::stream)
        .filter(event -> "ResponseComplete".equals(event.path("stage").asText()));
  }

  private static Optional<JsonNode> parse(String line) {
    try {
      return Optional.of(Json.mapper().readTree(line));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
