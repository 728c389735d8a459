package io.redisoperator.agent.kube;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * fabric8's Vert.x client with its connections bound to the pod IP: the agent's API traffic then comes from the pod's
 * address, so a network cut of that address also cuts the agent off the API server (which self-fencing relies on).
 */
public final class LocalAddressHttpClientFactory extends Vertx5HttpClientFactory {
  private final String localAddress;

  public LocalAddressHttpClientFactory(String localAddress) {
    this.localAddress = localAddress;
  }

  @Override
  protected void additionalConfig(
      WebClientOptions options, WebSocketClientOptions webSocketOptions, PoolOptions poolOptions) {
    options.setLocalAddress(localAddress);
    webSocketOptions.setLocalAddress(localAddress);
  }
}
