package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.crd.RedisCluster;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResyncPhaseTest {
  private static final Duration INTERVAL = Duration.ofSeconds(30);

  @Test
  void aClusterKeepsItsPhase() {
    String uid = "3f1c2a9e-5d4b-4c1a-9e2f-0a1b2c3d4e5f";
    assertEquals(ResyncPhase.firstDelay(uid, INTERVAL), ResyncPhase.firstDelay(uid, INTERVAL));
  }

  @Test
  void theFirstResyncComesAfterOneIntervalAndBeforeTwo() {
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      Duration delay =
          ResyncPhase.firstDelay(
              new UUID(random.nextLong(), random.nextLong()).toString(), INTERVAL);
      assertTrue(delay.compareTo(INTERVAL) >= 0 && delay.compareTo(INTERVAL.multipliedBy(2)) < 0);
    }
  }

  /** 1000 clusters over ten 3 s slices of the interval: about 100 each, never a lockstep. */
  @Test
  void aThousandClustersSpreadOverTheInterval() {
    Random random = new Random(42);
    int[] slices = new int[10];
    for (int i = 0; i < 1000; i++) {
      String uid = new UUID(random.nextLong(), random.nextLong()).toString();
      long offset = ResyncPhase.offset(uid, INTERVAL).toMillis();
      slices[(int) (offset / 3000)]++;
    }
    for (int count : slices) {
      assertTrue(count > 60 && count < 140, java.util.Arrays.toString(slices));
    }
  }

  @Test
  void namesThatDifferByOneCharacterLandApart() {
    assertTrue(
        !ResyncPhase.offset("scale/c0001", INTERVAL)
            .equals(ResyncPhase.offset("scale/c0002", INTERVAL)));
  }

  @Test
  void aZeroIntervalHasNoOffset() {
    assertEquals(Duration.ZERO, ResyncPhase.offset("any", Duration.ZERO));
  }

  @Test
  void aClusterIsKeyedByItsUidOrByItsNameBeforeItHasOne() {
    RedisCluster cluster = new RedisCluster();
    cluster.getMetadata().setUid("3f1c2a9e-5d4b-4c1a-9e2f-0a1b2c3d4e5f");
    assertEquals(
        ResyncPhase.firstDelay("3f1c2a9e-5d4b-4c1a-9e2f-0a1b2c3d4e5f", INTERVAL),
        ResyncPhase.firstDelay(cluster, "ns", "c", INTERVAL));
    assertEquals(
        ResyncPhase.firstDelay("ns/c", INTERVAL),
        ResyncPhase.firstDelay(new RedisCluster(), "ns", "c", INTERVAL));
    assertEquals(
        ResyncPhase.firstDelay("ns/c", INTERVAL),
        ResyncPhase.firstDelay(null, "ns", "c", INTERVAL));
  }
}
