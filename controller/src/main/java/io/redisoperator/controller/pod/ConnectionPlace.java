package io.redisoperator.controller.pod;

import java.util.concurrent.CompletionStage;

/**
 * One pod actor's place among the controller's {@link NewConnections}: asked for once, then handed
 * to the poll that opens the connection (and returned when that call ends), or returned unused.
 * Confined to the actor.
 */
final class ConnectionPlace {
  private final NewConnections newConnections;

  /** The place asked for (or held); null when none. */
  private NewConnections.Ticket ticket;

  ConnectionPlace(NewConnections newConnections) {
    this.newConnections = newConnections;
  }

  /** Asks for a place unless one was asked for already; {@code onGrant} runs at its turn. */
  void ask(boolean recordedPrimary, Runnable onGrant) {
    if (ticket == null) {
      ticket = newConnections.ask(recordedPrimary, onGrant);
    }
  }

  /** Whether a place was granted and is still held. */
  boolean granted() {
    return ticket != null && newConnections.isGranted(ticket);
  }

  /**
   * Hands the place to {@code call}: returned the moment the call ends, not when the actor gets to
   * its outcome. No place is held after.
   */
  <T> CompletionStage<T> handTo(CompletionStage<T> call) {
    NewConnections.Ticket place = ticket;
    ticket = null;
    return call.whenComplete((answer, failure) -> newConnections.release(place));
  }

  /** Returns the place held or asked for, if any (returning twice does nothing). */
  void release() {
    if (ticket != null) {
      newConnections.release(ticket);
      ticket = null;
    }
  }
}
