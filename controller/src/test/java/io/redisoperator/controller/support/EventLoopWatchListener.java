package io.redisoperator.controller.support;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The fabric8 CRUD mock's watch listener (8.0.0), with its writes handed to the connection's event
 * loop. The mock sends a watch's events from a thread of its own, and off the event loop each send
 * waits (up to 30 s) for the event loop to write it; when the client closes the watch, the
 * listener's close runs on that event loop and waits for those sends to end. One event being sent
 * when a watch closes so held the mock's only event loop for 30 s or more, and every request timed
 * out meanwhile. Sent from the event loop, a write is queued without waiting, in the order the
 * events were sent, so the close never waits for one.
 */
final class EventLoopWatchListener extends WebSocketListener {
  private final WebSocketListener watch;
  private volatile WebSocket socket;

  EventLoopWatchListener(WebSocketListener watch) {
    this.watch = watch;
  }

  /**
   * The socket the watch writes to: the first callback (on the event loop) finds the context the
   * writes go to.
   */
  private WebSocket socket(WebSocket connection) {
    WebSocket s = socket;
    if (s == null) {
      Context context = Vertx.currentContext();
      s = context == null ? connection : new EventLoopSocket(connection, context);
      socket = s;
    }
    return s;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    watch.onBeforeAccept(socket(webSocket), response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    watch.onOpen(socket(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    watch.onMessage(socket(webSocket), text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    watch.onMessage(socket(webSocket), bytes);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    watch.onMessage(socket(webSocket), bytes);
  }

  @Override
  public void onPing(WebSocket webSocket, byte[] bytes) {
    watch.onPing(socket(webSocket), bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    watch.onClosing(socket(webSocket), code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    watch.onClosed(socket(webSocket), code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    watch.onFailure(socket(webSocket), t, response);
  }

  /** Writes and closes on the connection's event loop, in the order they are asked for. */
  private record EventLoopSocket(WebSocket connection, Context context) implements WebSocket {
    @Override
    public RecordedRequest request() {
      return connection.request();
    }

    @Override
    public boolean send(String text) {
      context.runOnContext(v -> connection.send(text));
      return true;
    }

    @Override
    public boolean send(byte[] bytes) {
      context.runOnContext(v -> connection.send(bytes));
      return true;
    }

    @Override
    public boolean close(int code, String reason) {
      context.runOnContext(v -> connection.close(code, reason));
      return true;
    }
  }
}
