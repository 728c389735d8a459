package io.redisoperator.agent.runtime;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.redisoperator.agent.AgentSettings;
import io.redisoperator.agent.redis.RedisSupervisorActor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both agent roles (data pod, sentinel pod) run on: an actor system configured for an agent, a
 * pool for blocking calls, the pod's identity on every log line, and the HTTP bindings. The roles
 * wire their own actors onto it.
 */
public final class AgentRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentRuntime.class);

  /**
   * The agent stops its child process itself on SIGTERM, so Pekko must not tear the actors down
   * first from its own JVM hook; its logs go through SLF4J like everything else.
   */
  private static final Config PEKKO_CONFIG =
      ConfigFactory.parseString(
              String.join(
                  "\n",
                  "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off",
                  "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                  "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                  "pekko.loglevel = INFO",
                  "pekko.log-dead-letters = off",
                  // Every operation has its own deadline (a switchover up to 60 s + the operation
                  // timeout);
                  // the server-level timeout must not cut it short.
                  "pekko.http.server.request-timeout = 120s",
                  "pekko.http.server.idle-timeout = 180s",
                  // Agent requests are a few hundred bytes of JSON.
                  "pekko.http.server.parsing.max-content-length = 64k"))
          .withFallback(ConfigFactory.load());

  private final AgentSettings settings;
  private final Map<String, String> logIdentity;
  private final ActorSystem<Void> system;
  private final ExecutorService blocking;
  private final List<ServerBinding> bindings = new ArrayList<>();

  private AgentRuntime(AgentSettings settings, String systemName) {
    this.settings = settings;
    this.logIdentity =
        PodLogIdentity.of(
            settings.pod().namespace(), settings.pod().clusterName(), settings.pod().name());
    PodLogIdentity.install(logIdentity);
    this.blocking =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, systemName + "-blocking");
              t.setDaemon(true);
              return t;
            });
    this.system = ActorSystem.create(Behaviors.empty(), systemName, PEKKO_CONFIG);
  }

  public static AgentRuntime start(AgentSettings settings, String systemName) {
    return new AgentRuntime(settings, systemName);
  }

  public ActorSystem<Void> system() {
    return system;
  }

  /**
   * Where calls that block (files, the API server, process waits) run, never on an actor thread.
   */
  public ExecutorService blocking() {
    return blocking;
  }

  /** Starts a top-level actor whose log lines name the pod. */
  public <T> ActorRef<T> spawn(Class<T> protocol, Behavior<T> behavior, String name) {
    return system.systemActorOf(
        Behaviors.withMdc(protocol, logIdentity, behavior), name, Props.empty());
  }

  /**
   * Serves {@code route} in plain HTTP on each address; on failure everything started so far is
   * stopped.
   */
  public void serveHttp(List<String> addresses, int port, Route route) throws IOException {
    serve(addresses, port, route, null);
  }

  /**
   * Serves {@code route} over TLS on each address; on failure everything started so far is stopped.
   */
  public void serveHttps(List<String> addresses, int port, Route route, HttpsConnectionContext tls)
      throws IOException {
    serve(addresses, port, route, tls);
  }

  private void serve(List<String> addresses, int port, Route route, HttpsConnectionContext tls)
      throws IOException {
    try {
      for (String address : addresses) {
        ServerBuilder builder = Http.get(system).newServerAt(address, port);
        if (tls != null) {
          builder = builder.enableHttps(tls);
        }
        bindings.add(builder.bind(route).toCompletableFuture().get(10, TimeUnit.SECONDS));
        log.info("agent {} listening on {}:{}", tls == null ? "HTTP" : "HTTPS", address, port);
      }
    } catch (Exception e) {
      close();
      throw new IOException("cannot bind the agent port " + port + ": " + e.getMessage(), e);
    }
  }

  /** Stops taking requests (first step of a shutdown). */
  public void stopHttp() {
    for (ServerBinding b : bindings) {
      try {
        b.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("cannot unbind {}: {}", b.localAddress(), e.toString());
      }
    }
    bindings.clear();
  }

  /** Stops the supervised process gracefully, within the shutdown grace. */
  public void stopSupervised(ActorRef<RedisSupervisorActor.Command> supervisor, String process) {
    try {
      AskPattern.<RedisSupervisorActor.Command, Done>ask(
              supervisor,
              RedisSupervisorActor.Stop::new,
              settings.timing().shutdownGrace().plusSeconds(10),
              system.scheduler())
          .toCompletableFuture()
          .get(settings.timing().shutdownGrace().plusSeconds(15).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("{} did not stop cleanly: {}", process, e.toString());
    }
  }

  /** Terminates the actors and the blocking pool (after the role closed its own resources). */
  @Override
  public void close() {
    stopHttp();
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("actor system did not terminate in time: {}", e.toString());
    }
    blocking.shutdownNow();
  }
}
