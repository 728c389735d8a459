package io.redisoperator.controller.agent;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.redisoperator.protocol.tls.X25519Only;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK's TLS engines for the agent calls, each offering X25519 alone ({@link X25519Only}): the
 * P-256 key share the JDK's client sends beside it is never used by an agent. Only these engines:
 * the API server's connections keep the JDK's groups.
 */
final class AgentSslEngineOptions extends JdkSSLEngineOptions {
  AgentSslEngineOptions() {}

  private AgentSslEngineOptions(AgentSslEngineOptions other) {
    super(other);
  }

  @Override
  public AgentSslEngineOptions copy() {
    // Vert.x copies the options it is given: a plain copy would lose the groups.
    return new AgentSslEngineOptions(this);
  }

  @Override
  public AgentSslEngineOptions setUseWorkerThread(boolean useWorkerThread) {
    super.setUseWorkerThread(useWorkerThread);
    return this;
  }

  @Override
  public SslContextFactory sslContextFactory() {
    return new X25519Factory(super.sslContextFactory());
  }

  /** The JDK factory's contexts, each engine they make restricted to X25519. */
  private static final class X25519Factory implements SslContextFactory {
    private final SslContextFactory jdk;

    X25519Factory(SslContextFactory jdk) {
      this.jdk = jdk;
    }

    @Override
    public SslContext create() throws SSLException {
      return new DelegatingSslContext(jdk.create()) {
        @Override
        protected void initEngine(SSLEngine engine) {
          X25519Only.apply(engine);
        }
      };
    }

    @Override
    public SslContextFactory useAlpn(boolean useAlpn) {
      jdk.useAlpn(useAlpn);
      return this;
    }

    @Override
    public SslContextFactory forServer(ClientAuth clientAuth) {
      jdk.forServer(clientAuth);
      return this;
    }

    @Override
    public SslContextFactory forClient(SNIServerName serverName, String endpointIdentification) {
      jdk.forClient(serverName, endpointIdentification);
      return this;
    }

    @Override
    public SslContextFactory enabledProtocols(Set<String> protocols) {
      jdk.enabledProtocols(protocols);
      return this;
    }

    @Override
    public SslContextFactory keyMananagerFactory(KeyManagerFactory factory) {
      jdk.keyMananagerFactory(factory);
      return this;
    }

    @Override
    public SslContextFactory trustManagerFactory(TrustManagerFactory factory) {
      jdk.trustManagerFactory(factory);
      return this;
    }

    @Override
    public SslContextFactory enabledCipherSuites(Set<String> cipherSuites) {
      jdk.enabledCipherSuites(cipherSuites);
      return this;
    }

    @Override
    public SslContextFactory applicationProtocols(List<String> protocols) {
      jdk.applicationProtocols(protocols);
      return this;
    }
  }
}
