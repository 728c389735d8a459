package io.redisoperator.e2e.k3s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies what is worth reading after a failed scenario out of the cluster before it is thrown away:
 * every container's log of every pod in the given namespaces (the previous instance's too when it
 * restarted) and the namespaces' events.
 */
final class PodLogs {
  private static final Logger log = LoggerFactory.getLogger(PodLogs.class);

  private PodLogs() {}

  static void write(KubernetesClient client, List<String> namespaces, Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String namespace : namespaces) {
      for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
        for (Container container : containers(pod)) {
          writePodLog(client, pod, container.getName(), dir);
        }
      }
      writeEvents(client, namespace, dir);
    }
  }

  private static List<Container> containers(Pod pod) {
    List<Container> containers = new ArrayList<>(pod.getSpec().getInitContainers());
    containers.addAll(pod.getSpec().getContainers());
    return containers;
  }

  private static void writePodLog(KubernetesClient client, Pod pod, String container, Path dir) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String file = namespace + "_" + name + "_" + container;
    var resource = client.pods().inNamespace(namespace).withName(name).inContainer(container);
    save(dir.resolve(file + ".log"), () -> resource.getLog());
    if (restarted(pod, container)) {
      save(dir.resolve(file + ".previous.log"), () -> resource.terminated().getLog());
    }
  }

  private static boolean restarted(Pod pod, String container) {
    if (pod.getStatus() == null) {
      return false;
    }
    return Stream.concat(
            pod.getStatus().getInitContainerStatuses().stream(),
            pod.getStatus().getContainerStatuses().stream())
        .filter(s -> container.equals(s.getName()))
        .map(ContainerStatus::getRestartCount)
        .anyMatch(count -> count != null && count > 0);
  }

  private static void writeEvents(KubernetesClient client, String namespace, Path dir) {
    save(
        dir.resolve(namespace + "_events.txt"),
        () ->
            client.v1().events().inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(e -> String.valueOf(e.getLastTimestamp())))
                .map(PodLogs::line)
                .collect(Collectors.joining("\n", "", "\n")));
  }

  private static String line(Event e) {
    return e.getLastTimestamp()
        + " "
        + e.getType()
        + " "
        + e.getInvolvedObject().getKind()
        + "/"
        + e.getInvolvedObject().getName()
        + " "
        + e.getReason()
        + ": "
        + e.getMessage();
  }

  /** One unreadable log (a container that never started) must not cost the others. */
  private static void save(Path file, Supplier<String> content) {
    try {
      String text = content.get();
      Files.writeString(file, text == null ? "" : text);
    } catch (RuntimeException | IOException e) {
      log.warn("cannot save {}: {}", file.getFileName(), e.toString());
    }
  }
}
