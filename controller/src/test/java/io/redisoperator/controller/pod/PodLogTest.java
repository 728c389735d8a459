package io.redisoperator.controller.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class PodLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(PodActor.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private Level level;

  @BeforeEach
  void capture() {
    level = logger.getLevel();
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
    logger.setLevel(level);
    MDC.clear();
  }

  @Test
  void aLoggedLineNamesThePodAndTheMdcIsAsBeforeAfterIt() {
    logger.setLevel(Level.DEBUG);
    MDC.put("request", "r-1");
    new PodLog("ns", "c", "c-0").debug("poll of {} failed", "c-0");
    assertEquals(1, lines.list.size());
    ILoggingEvent line = lines.list.get(0);
    assertEquals("poll of c-0 failed", line.getFormattedMessage());
    assertEquals(
        Map.of("namespace", "ns", "cluster", "c", "pod", "c-0", "request", "r-1"),
        line.getMDCPropertyMap());
    assertEquals(Map.of("request", "r-1"), MDC.getCopyOfContextMap());
  }

  @Test
  void withoutAnOuterMdcNoneIsLeftBehind() {
    logger.setLevel(Level.DEBUG);
    new PodLog("ns", "c", "c-1").debug("watch of {} failed", "c-1");
    assertEquals("c-1", lines.list.get(0).getMDCPropertyMap().get("pod"));
    Map<String, String> after = MDC.getCopyOfContextMap();
    assertTrue(after == null || after.isEmpty(), String.valueOf(after));
  }

  @Test
  void aLineBelowTheLevelIsNotLoggedAndLeavesNoMdc() {
    logger.setLevel(Level.INFO);
    new PodLog("ns", "c", "c-0").debug("poll of {} failed", "c-0");
    assertTrue(lines.list.isEmpty());
    assertNull(MDC.get("pod"));
  }
}
