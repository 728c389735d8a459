package io.redisoperator.controller.pod;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.redisoperator.controller.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A pod actor whose dispatcher runs behind: the grant of its first-contact place is read only after
 * {@link NewConnections} took the place back (as 16 pods of a start-up of 1000 clusters on one core
 * were: never polled, their clusters Creating for good).
 */
class PodActorLateGrantTest {
  /** One thread, so an actor blocked on it holds back every other actor of this dispatcher. */
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          "late-grant",
          ConfigFactory.parseString(
                  """
                  one-thread {
                    type = Dispatcher
                    executor = "thread-pool-executor"
                    thread-pool-executor.fixed-pool-size = 1
                  }
                  """)
              .withFallback(ConfigFactory.load()));

  private static final DispatcherSelector ONE_THREAD = DispatcherSelector.fromConfig("one-thread");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Holds the dispatcher's only thread, once {@code started}, until {@code release} opens. */
  private static Behavior<String> blocking(CountDownLatch started, CountDownLatch release) {
    return Behaviors.receiveMessage(
        message -> {
          started.countDown();
          release.await(10, TimeUnit.SECONDS);
          return Behaviors.same();
        });
  }

  @Test
  void aPlaceTakenBackBeforeThePodReadItsGrantIsAskedForAgain() throws Exception {
    AtomicLong nanos = new AtomicLong();
    NewConnections one = new NewConnections(1, nanos::get);
    NewConnections.Ticket other = one.ask(false, true, () -> {});
    PodActorTest.ScriptedAgent agent = new PodActorTest.ScriptedAgent();
    TestProbe<PodReport> reports = testKit.createTestProbe();
    ActorRef<PodCommand> actor =
        testKit.spawn(
            PodActor.create(
                "p-0",
                new PodLog("ns", "c", "p-0"),
                agent,
                one,
                new AnswerPace(System::nanoTime),
                reports.getRef(),
                new OperatorMetrics(),
                Clock.systemUTC()),
            "p-0",
            ONE_THREAD);
    actor.tell(
        new PodCommand.Target("10.0.0.1", null, Duration.ofMillis(50), Duration.ofMillis(40)));
    await("the pod waits for the place")
        .atMost(Duration.ofSeconds(5))
        .until(() -> one.waiting() == 1);

    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ActorRef<String> blocker = testKit.spawn(blocking(started, release), "blocker", ONE_THREAD);
    blocker.tell("hold the thread");
    assertTrue(started.await(5, TimeUnit.SECONDS), "the dispatcher is held");
    one.release(other); // the pod's turn: its grant waits in its mailbox
    assertTrue(one.inFlight() == 1 && one.waiting() == 0);
    nanos.addAndGet(NewConnections.GRANT_LIMIT.toNanos() + 1);
    NewConnections.Ticket next = one.ask(false, true, () -> {}); // takes the unread grant back
    assertTrue(one.isGranted(next));
    release.countDown();

    await("the pod asks again").atMost(Duration.ofSeconds(5)).until(() -> one.waiting() == 1);
    assertTrue(agent.pending.isEmpty(), "no poll without a place");
    one.release(next);
    agent.answer(PodActorTest.primary());
    assertEquals(0, reports.receiveMessage().consecutiveFailures());
    testKit.stop(actor);
    testKit.stop(blocker);
  }
}
