package io.redisoperator.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.redisoperator.protocol.agent.InstanceLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The argv a container runs: command then args, with Kubernetes' {@code $(VAR)} expansion ({@code
 * $$} escapes); without a command, the image's entrypoint (see {@link NodeImages}). The sandbox
 * runs no images, so the operator image's entrypoint {@code /redis-operator} becomes {@code java
 * -jar redis-operator.jar} (so does the agent copied into data pods, {@code
 * /operator/redis-operator}); any other command runs as a local program found on PATH.
 */
public final class ContainerCommand {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.-]*)\\)");

  private ContainerCommand() {}

  public static List<String> argv(
      Container container, Map<String, String> env, KubeletConfig config) {
    List<String> command = nonEmpty(container.getCommand());
    List<String> args = nonEmpty(container.getArgs());
    if (command == null) {
      // As a container runtime: no command means the image's ENTRYPOINT, and no args too its CMD.
      NodeImages.ImageConfig image =
          NodeImages.config(container.getImage())
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "container "
                              + container.getName()
                              + " has no command and its image "
                              + container.getImage()
                              + " is not on the sandbox node (it holds "
                              + NodeImages.OPERATOR_IMAGE
                              + ")"));
      command = image.entrypoint();
      if (args == null) {
        args = image.cmd();
      }
    }
    List<String> words = new ArrayList<>();
    command.forEach(w -> words.add(expand(w, env)));
    if (args != null) {
      args.forEach(w -> words.add(expand(w, env)));
    }
    // The operator image's entrypoint, or the copy the bootstrap init container puts into data pods
    // (the sandbox
    // runs no init containers: the jar is already on this machine).
    if (!words.get(0).equals(InstanceLayout.ENTRYPOINT)
        && !words.get(0).equals(InstanceLayout.AGENT_COMMAND)) {
      return words;
    }
    List<String> java = new ArrayList<>();
    java.add(config.javaCommand());
    java.addAll(config.jvmFlags());
    java.add("-jar");
    java.add(config.operatorJar().toString());
    java.addAll(words.subList(1, words.size()));
    return java;
  }

  private static List<String> nonEmpty(List<String> words) {
    return words == null || words.isEmpty() ? null : words;
  }

  /**
   * Expands {@code $(NAME)} from {@code env}; unknown references stay as written, as in Kubernetes.
   */
  public static String expand(String text, Map<String, String> env) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        replacement = env.getOrDefault(m.group(1), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
