package io.redisoperator.sandbox.fleet;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * The agent API of simulated pods, on Netty: one event-loop group for every pod, and per pod one
 * server channel on its address ({@link AgentApi#PORT}) with the pod's own TLS context (its
 * certificate and the agent's client check, {@link AgentTls#serverContext}, built once), so the
 * controller's mutual TLS is the real one and a pod not served refuses connections as a gone pod
 * does. Every connection gets the same pipeline: TLS requiring a client certificate, HTTP/1.1, and
 * {@link AgentConnection}. Requests are answered from the pod's {@link SimulatedInstance} ({@link
 * AgentAnswers}).
 */
public final class AgentServer implements AutoCloseable {
  /** TLS sessions a pod's context keeps: the controller's few connections to it resume. */
  static final int SESSIONS_PER_POD = 4;

  /** A connection with no request or answer this long is closed (a controller that vanished). */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** Largest request body: the agent's operations carry a few hundred bytes. */
  static final int MAX_REQUEST_BYTES = 64 * 1024;

  /** How long a closed listener's port may take to be released before its close fails. */
  private static final Duration ADDRESS_RELEASE_LIMIT = Duration.ofSeconds(5);

  private static final AttributeKey<Listener> LISTENER = AttributeKey.valueOf("agent-listener");

  private final EventLoopGroup loops;
  private final AgentAnswers answers;
  private final ChannelHandler pipeline = new AgentPipeline();

  /**
   * @param threads the event loops shared by every pod's channels
   */
  public AgentServer(LongSupplier millis, FleetCounters counters, int threads) {
    this.loops = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    this.answers = new AgentAnswers(millis, counters);
  }

  /**
   * A pod's agent TLS context from its certificate Secret (PEM strings): its certificate, only the
   * controller's client certificate trusted, at most {@link #SESSIONS_PER_POD} sessions kept.
   */
  public static SSLContext serverContext(String certPem, String keyPem, String caPem)
      throws GeneralSecurityException {
    SSLContext context =
        AgentTls.serverContext(
            KeyMaterial.fromPem(certPem, keyPem), List.copyOf(Pem.certificates(caPem)));
    context.getServerSessionContext().setSessionCacheSize(SESSIONS_PER_POD);
    context.getClientSessionContext().setSessionCacheSize(1);
    return context;
  }

  /** Serves {@code instance} on its address and {@code port} until the listener is closed. */
  public CompletionStage<Listener> bind(SimulatedInstance instance, SSLContext tls, int port) {
    Listener listener = new Listener(instance, tls);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(loops)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 64)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .attr(LISTENER, listener)
            .childHandler(pipeline)
            .bind(instance.ip(), port);
    CompletableFuture<Listener> result = new CompletableFuture<>();
    bound.addListener(
        f -> {
          if (f.isSuccess()) {
            listener.channel = bound.channel();
            result.complete(listener);
          } else {
            result.completeExceptionally(f.cause());
          }
        });
    return result;
  }

  /** Stops every pod's channels and the event loops. */
  @Override
  public void close() {
    loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One pod's server channel and the connections it accepted. */
  public static final class Listener {
    private final SimulatedInstance instance;
    private final SSLContext tls;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private volatile Channel channel;

    private Listener(SimulatedInstance instance, SSLContext tls) {
      this.instance = instance;
      this.tls = tls;
    }

    /** The port it listens on (the one asked for, or the one chosen for port 0). */
    public int port() {
      return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /**
     * Stops accepting and closes the pod's connections, as a pod's death does; completes once the
     * address is free.
     */
    public CompletionStage<Void> close() {
      CompletableFuture<Void> closed = new CompletableFuture<>();
      InetSocketAddress address = (InetSocketAddress) channel.localAddress();
      EventLoop loop = channel.eventLoop();
      long deadline = System.nanoTime() + ADDRESS_RELEASE_LIMIT.toNanos();
      channel
          .close()
          .addListener(
              f -> {
                connections.forEach(Channel::close);
                completeOnceFree(address, loop, deadline, closed);
              });
      return closed;
    }

    /**
     * The JDK closes a listening socket registered with a selector only when that selector next
     * runs, after the channel's close has completed; until then the port still accepts and a new
     * bind fails. A trial bind tells when the kernel has let go of it.
     */
    private static void completeOnceFree(
        InetSocketAddress address, EventLoop loop, long deadline, CompletableFuture<Void> closed) {
      try (ServerSocket trial = new ServerSocket()) {
        trial.setReuseAddress(true);
        trial.bind(address);
      } catch (IOException stillBound) {
        if (System.nanoTime() - deadline > 0) {
          closed.completeExceptionally(stillBound);
        } else {
          loop.schedule(
              () -> completeOnceFree(address, loop, deadline, closed), 1, TimeUnit.MILLISECONDS);
        }
        return;
      }
      // Only once the trial socket is closed too: whoever waits may bind or connect at once.
      closed.complete(null);
    }
  }

  /** Every connection's pipeline; the pod is the one whose server channel accepted it. */
  @ChannelHandler.Sharable
  private final class AgentPipeline extends ChannelInitializer<SocketChannel> {
    @Override
    protected void initChannel(SocketChannel connection) {
      Listener listener = connection.parent().attr(LISTENER).get();
      listener.connections.add(connection);
      connection.closeFuture().addListener(f -> listener.connections.remove(connection));
      SSLEngine engine = listener.tls.createSSLEngine();
      engine.setUseClientMode(false);
      engine.setNeedClientAuth(true);
      connection
          .pipeline()
          .addLast(new SslHandler(engine))
          .addLast(new IdleStateHandler(0, 0, IDLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS))
          .addLast(new HttpServerCodec())
          .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
          .addLast(new AgentConnection(listener.instance, answers));
    }
  }
}
