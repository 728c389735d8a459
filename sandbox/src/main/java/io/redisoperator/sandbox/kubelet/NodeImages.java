package io.redisoperator.sandbox.kubelet;

import io.redisoperator.protocol.agent.InstanceLayout;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The images the sandbox node holds, with the ENTRYPOINT and CMD of their image configuration.
 * There is one: the operator image, "loaded" under {@link #OPERATOR_IMAGE} (as {@code kind load
 * docker-image} would) from dist/redis-operator.jar, with the Dockerfile's {@code ENTRYPOINT
 * ["/redis-operator"]} and {@code CMD ["--help"]}. Installing the chart with {@code
 * image.repository} and {@code image.tag} pointing at it runs the chart's pod as written. A
 * container of any other image must name its command (which then runs as a local program).
 */
public final class NodeImages {
  /** The reference the sandbox loads the operator image under. */
  public static final String OPERATOR_IMAGE_REPOSITORY = "localhost/redis-operator";

  public static final String OPERATOR_IMAGE_TAG = "sandbox";
  public static final String OPERATOR_IMAGE = OPERATOR_IMAGE_REPOSITORY + ":" + OPERATOR_IMAGE_TAG;

  /** An image's configuration: what runs when a container names no command (and no args). */
  record ImageConfig(List<String> entrypoint, List<String> cmd) {}

  private static final Map<String, ImageConfig> IMAGES =
      Map.of(
          OPERATOR_IMAGE, new ImageConfig(List.of(InstanceLayout.ENTRYPOINT), List.of("--help")));

  private NodeImages() {}

  static Optional<ImageConfig> config(String image) {
    return Optional.ofNullable(image).map(IMAGES::get);
  }
}
