package io.redisoperator.agent.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.redisoperator.protocol.crd.RedisCluster;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The harness as a JUnit extension: started before the test's own set-up, closed after its
 * tear-down, and closed when that set-up fails half-way. Runs the fixtures below through the
 * Jupiter engine; no redis-server is started (a harness without nodes is only its API server).
 */
class AgentHarnessTest {
  /** What a fixture saw, read once the engine is done with it. */
  static final class Seen {
    static Path root;
    static String apiUrl;
    static boolean apiServedInSetUp;
    static boolean apiServedInTearDown;

    static void reset() {
      root = null;
      apiUrl = null;
      apiServedInSetUp = false;
      apiServedInTearDown = false;
    }
  }

  static boolean apiServes(AgentHarness h) {
    try {
      h.kube().resources(RedisCluster.class).inNamespace(AgentHarness.NAMESPACE).list();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** An IT whose own set-up fails after it started something on the harness. */
  static class SetUpFailsHalfWay {
    @RegisterExtension final AgentHarness h = new AgentHarness();

    @BeforeEach
    void setUp() {
      Seen.root = h.root();
      Seen.apiUrl = h.apiUrl();
      Seen.apiServedInSetUp = apiServes(h);
      h.clusterStatus("rc-0", List.of());
      throw new IllegalStateException("set-up failed half-way");
    }

    @Test
    void neverRuns() {
      throw new AssertionError("the test runs only after its set-up");
    }
  }

  /** An IT whose tear-down still uses the harness. */
  static class TearDownUsesTheHarness {
    @RegisterExtension final AgentHarness h = new AgentHarness();

    @AfterEach
    void tearDown() {
      Seen.apiServedInTearDown = apiServes(h);
    }

    @Test
    void fails() {
      Seen.root = h.root();
      throw new AssertionError("the test failed");
    }
  }

  private static Events run(Class<?> fixture) {
    Seen.reset();
    return EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(fixture))
        .execute()
        .testEvents();
  }

  @Test
  void aSetUpThatFailsHalfWayStillClosesTheHarness() throws Exception {
    run(SetUpFailsHalfWay.class).assertStatistics(s -> s.started(1).failed(1));
    assertTrue(Seen.apiServedInSetUp, "started before the test's own set-up");
    assertNotNull(Seen.root);
    assertFalse(Files.exists(Seen.root), "its directories are gone");
    URI api = URI.create(Seen.apiUrl);
    assertThrows(
        IOException.class,
        () -> new Socket(api.getHost(), api.getPort()).close(),
        "its API server is stopped");
  }

  @Test
  void aFailedTestIsClosedAfterItsOwnTearDown() {
    run(TearDownUsesTheHarness.class).assertStatistics(s -> s.started(1).failed(1));
    assertTrue(Seen.apiServedInTearDown, "still open in the test's tear-down");
    assertFalse(Files.exists(Seen.root), "closed after it");
  }

  @Test
  void closingTwiceOrUnstartedIsHarmless() throws Exception {
    AgentHarness never = new AgentHarness();
    never.close();
    AgentHarness h = AgentHarness.started();
    Path root = h.root();
    assertTrue(Files.isDirectory(root));
    h.close();
    h.close();
    assertFalse(Files.exists(root));
    assertNull(h.root());
  }
}
