package io.redisoperator.bench.fleet;

import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.tls.AgentTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TrustOptions;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The controller's side of the footprint benchmark, as its agent client calls agents ({@code
 * controller.agent.ClusterHttpClients}, {@code AgentExchange}): one Vert.x HTTP/1.1 client per
 * cluster with the controller's client certificate and the pod-named trust, keep-alive connections
 * per pod, the pod's name as the TLS peer host.
 */
final class FootprintClient implements AutoCloseable {
  /** One status answer: HTTP status and the status version header. */
  record Answer(int status, String version) {}

  /** Where one agent is and which cluster client reaches it. */
  record Agent(String pod, String ip, boolean primary, HttpClientAgent http) {}

  private final Vertx vertx;
  private final int port;

  FootprintClient(int port) {
    this.port = port;
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(Math.max(1, Runtime.getRuntime().availableProcessors()))
                .setBlockedThreadCheckInterval(TimeUnit.MINUTES.toMillis(10)));
  }

  Vertx vertx() {
    return vertx;
  }

  /** The HTTP client of one cluster, as the controller builds it. */
  HttpClientAgent clusterClient(FootprintPlan.ClientMaterial material)
      throws GeneralSecurityException {
    ClientSSLOptions tls =
        new ClientSSLOptions()
            .setKeyCertOptions(KeyCertOptions.wrap(AgentTls.keyManager(material.controller())))
            .setTrustOptions(
                TrustOptions.wrap(AgentTls.podTrust(List.of(material.ca().certificate()))))
            .setHostnameVerificationAlgorithm("");
    return vertx
        .httpClientBuilder()
        .with(
            new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setKeepAlive(true)
                .setKeepAliveTimeout(15)
                .setConnectTimeout(5_000)
                .setVerifyHost(false))
        .with(tls)
        .with(new PoolOptions().setHttp1MaxSize(3).setMaxWaitQueueSize(16))
        .withConnectHandler(connection -> connection.exceptionHandler(failure -> {}))
        .build();
  }

  /**
   * {@code GET /v1/status}, held up to {@code waitMillis} when {@code since} is the current
   * version; fails after {@code timeoutMillis} without an answer.
   */
  CompletableFuture<Answer> status(Agent agent, String since, long waitMillis, long timeoutMillis) {
    String uri =
        since == null
            ? AgentApi.PATH_STATUS
            : AgentApi.PATH_STATUS
                + "?"
                + AgentApi.STATUS_SINCE_PARAM
                + "="
                + since
                + "&"
                + AgentApi.STATUS_WAIT_PARAM
                + "="
                + waitMillis;
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setServer(SocketAddress.inetSocketAddress(port, agent.ip()))
            .setHost(agent.pod())
            .setPort(port)
            .setURI(uri)
            .setSsl(true)
            .setIdleTimeout(timeoutMillis);
    Future<Answer> answer =
        agent
            .http()
            .request(options)
            .compose(
                request ->
                    request
                        .send()
                        .compose(
                            response ->
                                response
                                    .body()
                                    .map(
                                        body ->
                                            new Answer(
                                                response.statusCode(),
                                                response.getHeader(
                                                    AgentApi.STATUS_VERSION_HEADER)))));
    return answer.toCompletionStage().toCompletableFuture();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
