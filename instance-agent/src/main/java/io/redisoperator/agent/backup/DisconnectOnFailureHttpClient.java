package io.redisoperator.agent.backup;

import java.io.IOException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Closes a request's connection when the request fails. HttpURLConnection leaves a request whose
 * body failed half-sent on its socket (until the collector finalizes it), so the store would keep
 * waiting for the rest and keep its temporary copy of the partial object; closed, the store sees
 * the body cut and discards it.
 */
final class DisconnectOnFailureHttpClient implements SdkHttpClient {
  private final SdkHttpClient delegate;

  DisconnectOnFailureHttpClient(SdkHttpClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest prepared = delegate.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        try {
          return prepared.call();
        } catch (IOException | RuntimeException | Error e) {
          prepared.abort();
          throw e;
        }
      }

      @Override
      public void abort() {
        prepared.abort();
      }
    };
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
