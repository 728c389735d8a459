package io.redisoperator.e2e.k3s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The operator image built by the repository's Dockerfile (which runs the Maven build inside), once
 * per test JVM, and saved as an archive that each scenario's fresh k3s node imports.
 */
final class OperatorImage {
  private static final Logger log = LoggerFactory.getLogger(OperatorImage.class);
  private static final String REPOSITORY = "redis-operator-e2e";

  /**
   * Not "latest": Kubernetes would default the pull policy of the data pods' bootstrap container to
   * Always.
   */
  private static final String TAG = "dev";

  static final String NAME = REPOSITORY + ":" + TAG;

  /**
   * Left out of the build context (Testcontainers sends what it is given and reads no
   * .dockerignore): build outputs, VCS data and local state, which are large and would make every
   * build a cache miss.
   */
  private static final Set<String> NOT_CONTEXT =
      Set.of(".git", "target", "dist", ".sandbox", ".idea", "logs");

  private static final long BUILD_TIMEOUT_MINUTES = 30;

  private static Path archive;

  private OperatorImage() {}

  /** The image as a {@code docker save} archive, built and saved on the first call. */
  static synchronized Path archive() {
    if (archive == null) {
      build();
      archive = save();
    }
    return archive;
  }

  private static void build() {
    Path root = repositoryRoot();
    ImageFromDockerfile image = new ImageFromDockerfile(NAME, false);
    List<Path> files = contextFiles(root);
    files.forEach(file -> image.withFileFromPath(root.relativize(file).toString(), file));
    log.info(
        "building {} from {} ({} files in the context); the Dockerfile runs the Maven build",
        NAME,
        root,
        files.size());
    try {
      // A failed build surfaces as a runtime exception carrying Docker's message.
      image.get(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "docker build of " + NAME + " took over " + BUILD_TIMEOUT_MINUTES + " min", e);
    }
  }

  private static Path save() {
    try {
      Path tar = Files.createTempFile(REPOSITORY + "-", ".tar");
      tar.toFile().deleteOnExit();
      try (InputStream in =
          DockerClientFactory.instance().client().saveImageCmd(REPOSITORY).withTag(TAG).exec()) {
        Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
      }
      log.info("saved {} to {} ({} MB)", NAME, tar, Files.size(tar) >> 20);
      return tar;
    } catch (IOException e) {
      throw new UncheckedIOException("docker save " + NAME, e);
    }
  }

  /**
   * Every file of the repository except under {@link #NOT_CONTEXT} directories, which are not even
   * entered.
   */
  static List<Path> contextFiles(Path root) {
    List<Path> files = new ArrayList<>();
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              return !dir.equals(root) && NOT_CONTEXT.contains(dir.getFileName().toString())
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              if (attributes.isRegularFile()) {
                files.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("listing the build context " + root, e);
    }
    files.sort(null);
    return files;
  }

  /**
   * The directory holding the Dockerfile and the parent pom, found from the module's working
   * directory upwards.
   */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("Dockerfile"))
          && Files.isRegularFile(dir.resolve("pom.xml"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "no Dockerfile next to a pom.xml above " + Path.of("").toAbsolutePath());
  }
}
