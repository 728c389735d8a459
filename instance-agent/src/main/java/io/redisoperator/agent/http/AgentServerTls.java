package io.redisoperator.agent.http;

import io.redisoperator.agent.secrets.ProjectedFiles;
import io.redisoperator.agent.secrets.ProjectedValue;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.HttpsConnectionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent API's TLS: the pod's certificate and the agent CA from the projected agent TLS Secret,
 * reloaded when the Secret changes (each new connection uses the latest; open ones keep theirs). A
 * client must present the controller's certificate ({@link AgentTls}); until a valid certificate is
 * there, every handshake fails.
 */
public final class AgentServerTls {
  private static final Logger log = LoggerFactory.getLogger(AgentServerTls.class);

  private final Path dir;
  private final AtomicReference<Loaded> current = new AtomicReference<>();

  private record Loaded(SSLContext context, String version, String material) {}

  public AgentServerTls(Path dir) {
    this.dir = dir;
    reload();
  }

  /**
   * Reads the three files again; keeps what it had when they are missing or do not fit together (a
   * Secret being rewritten key by key). Returns the version now in use, if any.
   */
  public synchronized Optional<String> reload() {
    try {
      Optional<ProjectedValue> cert = ProjectedFiles.read(dir, InstanceLayout.SECRET_KEY_TLS_CERT);
      Optional<ProjectedValue> key = ProjectedFiles.read(dir, InstanceLayout.SECRET_KEY_TLS_KEY);
      Optional<ProjectedValue> ca = ProjectedFiles.read(dir, InstanceLayout.SECRET_KEY_CA_CERT);
      if (cert.isEmpty() || key.isEmpty() || ca.isEmpty()) {
        log.error(
            "no complete agent certificate at {} (tls.crt, tls.key, ca.crt): the API refuses every connection",
            dir);
        return version();
      }
      String material = cert.get().value() + key.get().value() + ca.get().value();
      Loaded before = current.get();
      if (before != null && before.material().equals(material)) {
        return version();
      }
      SSLContext context =
          AgentTls.serverContext(
              KeyMaterial.fromPem(cert.get().value(), key.get().value()),
              List.copyOf(Pem.certificates(ca.get().value())));
      current.set(new Loaded(context, cert.get().version(), material));
      log.info("agent certificate loaded (version {})", cert.get().version());
    } catch (Exception e) {
      log.error("cannot load the agent certificate at {}: {}", dir, e.getMessage());
    }
    return version();
  }

  public Optional<String> version() {
    Loaded loaded = current.get();
    return loaded == null ? Optional.empty() : Optional.of(loaded.version());
  }

  public Path dir() {
    return dir;
  }

  /**
   * For the HTTPS binding: every connection gets an engine of the current context that requires a
   * client.
   */
  public HttpsConnectionContext connectionContext() {
    return ConnectionContext.httpsServer(
        () -> {
          Loaded loaded = current.get();
          if (loaded == null) {
            throw new IllegalStateException("no agent certificate loaded from " + dir);
          }
          SSLEngine engine = loaded.context().createSSLEngine();
          engine.setUseClientMode(false);
          engine.setNeedClientAuth(true);
          return engine;
        });
  }
}
