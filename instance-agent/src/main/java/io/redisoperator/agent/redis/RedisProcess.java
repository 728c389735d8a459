package io.redisoperator.agent.redis;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One redis-server child. The command line carries only the conf path: the password lives in the
 * 0600 conf file, never in argv or the environment.
 */
public final class RedisProcess {
  private static final Logger log = LoggerFactory.getLogger(RedisProcess.class);

  /**
   * Children still running when the JVM exits are stopped (SIGTERM, so Redis still shuts down
   * cleanly).
   */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LIVE.forEach(Process::destroy);
                  for (Process p : LIVE) {
                    try {
                      if (!p.waitFor(20, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                      }
                    } catch (InterruptedException e) {
                      p.destroyForcibly();
                    }
                  }
                },
                "redis-server-reaper"));
  }

  private final Process process;

  private RedisProcess(Process process) {
    this.process = process;
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
  }

  public static RedisProcess start(String binary, Path conf) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(List.of(binary, conf.toAbsolutePath().toString()));
    builder.environment().clear();
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    log.info("redis-server started, pid {}", process.pid());
    return new RedisProcess(process);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Process process() {
    return process;
  }

  /**
   * SIGTERM, which Redis handles as a graceful SHUTDOWN (AOF fsync, replicas given time to catch
   * up), then SIGKILL if it has not exited within {@code grace}. Blocks up to {@code grace}.
   */
  public void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("redis-server pid {} did not stop within {}, killing it", process.pid(), grace);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
