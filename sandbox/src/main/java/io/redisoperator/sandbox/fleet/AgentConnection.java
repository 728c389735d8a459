package io.redisoperator.sandbox.fleet;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.redisoperator.protocol.agent.AgentApi;
import io.redisoperator.protocol.agent.AgentError;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One HTTP/1.1 connection to a simulated agent, after its TLS and HTTP codecs: each request is
 * answered by {@link AgentAnswers}, the answers written in the order of the requests (a held status
 * request delays the answers behind it, as on any HTTP/1.1 connection).
 */
final class AgentConnection extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final SimulatedInstance instance;
  private final AgentAnswers answers;

  /** The last answer written or queued on this connection. */
  private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);

  AgentConnection(SimulatedInstance instance, AgentAnswers answers) {
    this.instance = instance;
    this.answers = answers;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (!request.decoderResult().isSuccess()) {
      write(
          ctx,
          AgentAnswers.json(400, new AgentError(AgentError.BAD_REQUEST, "malformed request")),
          false);
      return;
    }
    CompletionStage<AgentAnswers.Answer> answer =
        answers
            .answer(
                instance,
                request.method().name(),
                request.uri(),
                ByteBufUtil.getBytes(request.content()),
                request.headers().get(AgentApi.IF_NONE_MATCH_HEADER))
            // A failed answer must not stop the answers queued behind it.
            .exceptionally(
                failure ->
                    AgentAnswers.json(
                        500, new AgentError(AgentError.INTERNAL, String.valueOf(failure))));
    written =
        written
            .thenCombine(answer, (previous, next) -> next)
            .thenAccept(a -> write(ctx, a, keepAlive));
  }

  private static void write(
      ChannelHandlerContext ctx, AgentAnswers.Answer answer, boolean keepAlive) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(answer.body()));
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
    if (answer.version() != null) {
      response
          .headers()
          .set(AgentApi.STATUS_VERSION_HEADER, answer.version())
          .set(AgentApi.ETAG_HEADER, AgentApi.entityTag(answer.version()));
    }
    if (answer.volatiles() != null) {
      response.headers().set(AgentApi.STATUS_VOLATILES_HEADER, answer.volatiles());
    }
    if (!keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(response);
    }
  }

  /** A connection idle past {@link AgentServer#IDLE_TIMEOUT} is closed. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      ctx.close();
    } else {
      super.userEventTriggered(ctx, event);
    }
  }

  /** A failed handshake (no client certificate, a foreign one) or a reset ends the connection. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
