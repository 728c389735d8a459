package io.redisoperator.sandbox.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A process's plain-HTTP health or readiness endpoint, asked once. */
public final class HttpProbe {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private HttpProbe() {}

  /** Whether {@code url} answers 200 within two seconds; false while nothing listens there. */
  public static boolean ok(String url) {
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
