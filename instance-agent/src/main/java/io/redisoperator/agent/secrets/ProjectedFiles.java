package io.redisoperator.agent.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a key of a projected Secret or ConfigMap volume. */
public final class ProjectedFiles {
  /**
   * Kubernetes writes each update into a fresh {@code ..<timestamp>} directory and swaps this
   * symlink to it.
   */
  static final String DATA_LINK = "..data";

  private ProjectedFiles() {}

  public static Optional<ProjectedValue> read(Path dir, String key) throws IOException {
    Path file = dir.resolve(key);
    try {
      String content = stripTrailingNewlines(Files.readString(file, StandardCharsets.UTF_8));
      return Optional.of(new ProjectedValue(content, version(dir, file)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static String version(Path dir, Path file) throws IOException {
    Path link = dir.resolve(DATA_LINK);
    if (Files.isSymbolicLink(link)) {
      return Files.readSymbolicLink(link).getFileName().toString();
    }
    return "mtime-" + Files.getLastModifiedTime(file).toMillis();
  }

  /** Secrets created with {@code echo} end in a newline that is not part of the password. */
  static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
  }
}
