package io.redisoperator.agent.secrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices updates of projected files within one poll interval. Polling (rather than inotify)
 * because Kubernetes updates by swapping a {@code ..data} symlink, which file watches on the
 * visible path do not report reliably, and the sandbox writes plain files; comparing contents
 * handles both.
 */
public final class ProjectedFileWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProjectedFileWatcher.class);

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "projected-file-watcher");
            t.setDaemon(true);
            return t;
          });
  private final List<Watch> watches = new CopyOnWriteArrayList<>();

  public ProjectedFileWatcher(Duration interval) {
    scheduler.scheduleWithFixedDelay(
        this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Calls {@code onChange} (on the watcher thread) whenever the content differs from {@code
   * initial}'s.
   */
  public void watch(
      Path dir, String key, Optional<ProjectedValue> initial, Consumer<ProjectedValue> onChange) {
    watches.add(new Watch(dir, key, initial.map(ProjectedValue::value).orElse(null), onChange));
  }

  private void poll() {
    for (Watch w : watches) {
      try {
        Optional<ProjectedValue> now = ProjectedFiles.read(w.dir, w.key);
        if (now.isPresent() && !Objects.equals(now.get().value(), w.lastValue)) {
          w.lastValue = now.get().value();
          log.info(
              "projected file {} changed (version {})", w.dir.resolve(w.key), now.get().version());
          w.onChange.accept(now.get());
        }
      } catch (Exception e) {
        log.warn("cannot read projected file {}: {}", w.dir.resolve(w.key), e.toString());
      }
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }

  private static final class Watch {
    final Path dir;
    final String key;
    volatile String lastValue;
    final Consumer<ProjectedValue> onChange;

    Watch(Path dir, String key, String lastValue, Consumer<ProjectedValue> onChange) {
      this.dir = dir;
      this.key = key;
      this.lastValue = lastValue;
      this.onChange = onChange;
    }
  }
}
