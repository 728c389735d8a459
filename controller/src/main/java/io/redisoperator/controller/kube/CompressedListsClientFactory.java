package io.redisoperator.controller.kube;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * fabric8's Vert.x HTTP client for the API server, asking for gzip-compressed responses ({@code
 * Accept-Encoding}). The API server compresses only large responses (the informers' first lists,
 * above 128 KiB; a watch stream, a single object and a write's answer stay plain), and those were
 * most of what a restarted controller spent before its first pass: TLS record decryption of every
 * pod, Secret and Service, which the JIT of the chart's C1 runs without the AES-GCM intrinsics (C2
 * only). Inflating is native zlib, and a list of objects compresses about tenfold
 * (docs/performance.md, "Restart").
 */
public final class CompressedListsClientFactory extends Vertx5HttpClientFactory {
  @Override
  protected void additionalConfig(
      WebClientOptions options, WebSocketClientOptions webSocketOptions, PoolOptions poolOptions) {
    options.setDecompressionSupported(true);
  }
}
