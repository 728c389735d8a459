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

  /**
   * Asks for a place unless one is asked for or held already; {@code onGrant} runs at its turn. A
   * place taken back before it was used ({@link #takenBack}) is asked for anew.
   *
   * @param firstContact the first poll at the pod's address ({@link
   *     NewConnections#firstContactsWaiting})
   */
  void ask(boolean recordedPrimary, boolean firstContact, Runnable onGrant) {
    if (ticket == null || newConnections.isReturned(ticket)) {
      ticket = newConnections.ask(recordedPrimary, firstContact, onGrant);
    }
  }

  /** Whether any pod's first contact waits for a place ({@link NewConnections}). */
  boolean firstContactsWaiting() {
    return newConnections.firstContactsWaiting();
  }

  /**
   * Whether the place this actor asked for was taken back by {@link NewConnections} (granted, then
   * not used within {@link NewConnections#GRANT_LIMIT}): the actor's own returns forget the ticket,
   * so only that leaves one here that is returned. Its grant was the actor's only wake-up.
   */
  boolean takenBack() {
    return ticket != null && newConnections.isReturned(ticket);
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
