package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.redisoperator.controller.pod.PodSigns.Reaction;
import org.junit.jupiter.api.Test;

class PodSignsTest {
  static Pod pod(String phase, boolean deleting, boolean ready, int restarts, boolean ended) {
    ContainerStatusBuilder container =
        new ContainerStatusBuilder().withName("redis").withReady(ready).withRestartCount(restarts);
    if (ended) {
      container.withNewState().withNewTerminated().withExitCode(137).endTerminated().endState();
    } else {
      container.withNewState().withNewRunning().endRunning().endState();
    }
    return new PodBuilder()
        .withNewMetadata()
        .withName("c-0")
        .withDeletionTimestamp(deleting ? "2026-12-05T05:00:00Z" : null)
        .endMetadata()
        .withNewStatus()
        .withPhase(phase)
        .withPodIP("10.0.0.1")
        .addToContainerStatuses(container.build())
        .endStatus()
        .build();
  }

  static final PodSigns SERVING = PodSigns.of(pod("Running", false, true, 0, false));

  @Test
  void readsTheSignsOffThePodObject() {
    assertEquals(new PodSigns(false, true, 0, false), SERVING);
    assertEquals(
        new PodSigns(true, true, 0, false), PodSigns.of(pod("Running", true, true, 0, false)));
    assertEquals(
        new PodSigns(true, false, 2, true), PodSigns.of(pod("Failed", false, false, 2, true)));
    assertEquals(
        new PodSigns(false, false, 0, false),
        PodSigns.of(new PodBuilder().withNewMetadata().withName("c-0").endMetadata().build()),
        "no container status yet: not ready, nothing ended");
  }

  @Test
  void aPodGoingAwayIsPolledUntilRefusedOnceWhenItStartsGoing() {
    PodSigns deleting = PodSigns.of(pod("Running", true, true, 0, false));
    assertEquals(Reaction.POLL_UNTIL_REFUSED, PodSigns.react(SERVING, deleting));
    assertEquals(Reaction.POLL_UNTIL_REFUSED, PodSigns.react(null, deleting), "first seen going");
    assertEquals(Reaction.NONE, PodSigns.react(deleting, deleting), "told once");
    assertEquals(
        Reaction.POLL_UNTIL_REFUSED,
        PodSigns.react(SERVING, PodSigns.of(pod("Failed", false, false, 0, true))));
  }

  @Test
  void aContainerThatEndsRestartsOrTurnsUnreadyIsPolledOnceAtOnce() {
    assertEquals(
        Reaction.POLL_NOW,
        PodSigns.react(SERVING, PodSigns.of(pod("Running", false, false, 0, false))));
    assertEquals(
        Reaction.POLL_NOW,
        PodSigns.react(SERVING, PodSigns.of(pod("Running", false, true, 1, false))));
    assertEquals(
        Reaction.POLL_NOW,
        PodSigns.react(SERVING, PodSigns.of(pod("Running", false, false, 0, true))));
  }

  @Test
  void nothingNewOrBetterIsNoReasonToPoll() {
    PodSigns unready = PodSigns.of(pod("Running", false, false, 1, false));
    assertEquals(Reaction.NONE, PodSigns.react(null, SERVING), "first seen serving");
    assertEquals(Reaction.NONE, PodSigns.react(SERVING, SERVING));
    assertEquals(Reaction.NONE, PodSigns.react(unready, unready), "still unready: told already");
    assertEquals(Reaction.NONE, PodSigns.react(unready, SERVING), "ready again");
    assertEquals(
        Reaction.NONE,
        PodSigns.react(unready, PodSigns.of(pod("Running", false, true, 0, false))),
        "a recreated pod's counts start again");
  }
}
