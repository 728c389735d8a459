package io.redisoperator.controller.pod;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Bounds how many polls that open a new connection are out at once, over every pod of every
 * cluster. Such a poll pays a TLS handshake on both sides: a pod's first poll, and a replica's poll
 * after a failed one (a timed-out call is reset with its connection). A controller starting or
 * restarting with hundreds of pods that sent them all together spent its core on handshakes; the
 * polls overran their timeout, were reset, and the next ones paid the handshake again (measured at
 * 100 clusters, docs/performance.md). With at most {@link #IN_FLIGHT} of them out, each finishes
 * within its timeout and the rest follow at the pace the handshakes actually take.
 *
 * <p>A cluster's recorded primary goes before every other pod, and once it (or any pod answering as
 * primary) has answered, its polls never wait here: they are the failover's evidence
 * (docs/failover.md), so a failure's detection never waits behind a start-up.
 *
 * <p>Thread-safe: pod actors ask from their own threads; {@code onGrant} runs on the thread that
 * freed the place (it should only send a message). A grant not returned within {@link #GRANT_LIMIT}
 * (an actor that died mid-poll without returning it) is taken back.
 */
public final class NewConnections {
  /**
   * Polls opening a connection out at once. A handshake costs the controller a few milliseconds of
   * CPU; 16 of them fit well within a poll timeout (0.8 s by default) even on a busy core.
   */
  public static final int IN_FLIGHT = 16;

  /** Far longer than any poll (its timeout is at most 2 s). */
  static final Duration GRANT_LIMIT = Duration.ofSeconds(10);

  private final int limit;
  private final LongSupplier nanos;
  private final Deque<Ticket> primaries = new ArrayDeque<>();
  private final Deque<Ticket> others = new ArrayDeque<>();
  private final List<Ticket> granted = new ArrayList<>();

  /**
   * How many waiting tickets are first contacts: written under the lock, read without it on every
   * poll's outcome ({@link #firstContactsWaiting}).
   */
  private volatile int firstContactsWaiting;

  /**
   * @param nanos a monotonic clock ({@code System::nanoTime})
   */
  public NewConnections(int limit, LongSupplier nanos) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.limit = limit;
    this.nanos = nanos;
  }

  /** One pod's place: waiting, granted, then returned. */
  public static final class Ticket {
    private final boolean primary;
    private final boolean firstContact;
    private final Runnable onGrant;
    private long grantedAt;
    private State state = State.WAITING;

    private Ticket(boolean primary, boolean firstContact, Runnable onGrant) {
      this.primary = primary;
      this.firstContact = firstContact;
      this.onGrant = onGrant;
    }

    private enum State {
      WAITING,
      GRANTED,
      RETURNED
    }
  }

  /**
   * Asks for a place; {@code onGrant} runs once it is this pod's turn (at once, on this thread,
   * when a place is free).
   *
   * @param primary the cluster's recorded primary: goes before the others
   * @param firstContact the first poll at the pod's address (not a reconnection after a failed
   *     poll): counted by {@link #firstContactsWaiting}
   */
  public Ticket ask(boolean primary, boolean firstContact, Runnable onGrant) {
    Ticket ticket = new Ticket(primary, firstContact, onGrant);
    List<Ticket> grants;
    synchronized (this) {
      (primary ? primaries : others).addLast(ticket);
      if (firstContact) {
        firstContactsWaiting++;
      }
      grants = grantWhilePlaces();
    }
    run(grants);
    return ticket;
  }

  /**
   * Whether a pod's first contact waits for a place: the controller has pods it has not heard from
   * yet queued behind the handshakes in flight (a restart's, or a start-up's, backlog). Pods that
   * answered already are then polled at a slower pace ({@link PollSchedule#plainInterval}).
   * Reconnections after failed polls (a pod's first poll that failed included) do not count: pods
   * that do not answer (a lost node's) are no backlog of the controller's own, and must not slow
   * the polls of every healthy pod for as long as they stay silent.
   */
  public boolean firstContactsWaiting() {
    return firstContactsWaiting > 0;
  }

  /** Returns a place, or gives up waiting for one; returning twice does nothing. */
  public void release(Ticket ticket) {
    List<Ticket> grants;
    synchronized (this) {
      if (ticket.state == Ticket.State.WAITING) {
        (ticket.primary ? primaries : others).remove(ticket);
        stopsWaiting(ticket);
      } else if (ticket.state == Ticket.State.GRANTED) {
        granted.remove(ticket);
      }
      ticket.state = Ticket.State.RETURNED;
      grants = grantWhilePlaces();
    }
    run(grants);
  }

  /**
   * Whether the ticket is done with: returned by its holder, or taken back after {@link
   * #GRANT_LIMIT}. A ticket taken back before its holder read the grant is never granted again.
   */
  public synchronized boolean isReturned(Ticket ticket) {
    return ticket.state == Ticket.State.RETURNED;
  }

  /** Whether the ticket's turn came and it has not been returned. */
  public synchronized boolean isGranted(Ticket ticket) {
    return ticket.state == Ticket.State.GRANTED;
  }

  synchronized int inFlight() {
    return granted.size();
  }

  synchronized int waiting() {
    return primaries.size() + others.size();
  }

  private List<Ticket> grantWhilePlaces() {
    long now = nanos.getAsLong();
    granted.removeIf(
        t -> {
          boolean expired = now - t.grantedAt > GRANT_LIMIT.toNanos();
          if (expired) {
            t.state = Ticket.State.RETURNED;
          }
          return expired;
        });
    List<Ticket> grants = new ArrayList<>();
    while (granted.size() < limit && (!primaries.isEmpty() || !others.isEmpty())) {
      Ticket next = primaries.isEmpty() ? others.pollFirst() : primaries.pollFirst();
      stopsWaiting(next);
      next.state = Ticket.State.GRANTED;
      next.grantedAt = now;
      granted.add(next);
      grants.add(next);
    }
    return grants;
  }

  private void stopsWaiting(Ticket ticket) {
    if (ticket.firstContact) {
      firstContactsWaiting--;
    }
  }

  private static void run(List<Ticket> grants) {
    for (Ticket ticket : grants) {
      ticket.onGrant.run();
    }
  }
}
