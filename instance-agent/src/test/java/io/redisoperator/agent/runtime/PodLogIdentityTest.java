package io.redisoperator.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class PodLogIdentityTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("pod-log-identity-test");
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void attach() {
    PodLogIdentity.reset();
    lines.start();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    logger.addAppender(lines);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(lines);
    PodLogIdentity.reset();
  }

  @Test
  void aLineLoggedOnAThreadTheAgentDidNotSetUpNamesThePod() throws Exception {
    PodLogIdentity.install(PodLogIdentity.of("ns", "orders", "orders-1"));
    logFromNewThread();
    Map<String, String> mdc = lines.list.get(0).getMDCPropertyMap();
    assertEquals("orders-1", mdc.get("pod"));
    assertEquals("orders", mdc.get("cluster"));
    assertEquals("ns", mdc.get("namespace"));
  }

  @Test
  void twoPodsInOneJvmNameNeitherRatherThanTheWrongOne() throws Exception {
    PodLogIdentity.install(PodLogIdentity.of("ns", "orders", "orders-1"));
    PodLogIdentity.install(PodLogIdentity.of("ns", "orders", "orders-2"));
    PodLogIdentity.install(PodLogIdentity.of("ns", "orders", "orders-3"));
    logFromNewThread();
    assertNull(lines.list.get(0).getMDCPropertyMap().get("pod"));
  }

  private void logFromNewThread() throws InterruptedException {
    Thread t = new Thread(() -> logger.info("from a thread nobody prepared"));
    t.start();
    t.join();
  }
}
