package io.redisoperator.bench.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ServiceCreatesTest {
  private static final Instant START = Instant.parse("2026-12-06T05:00:00Z");
  private static final String OPERATOR = AuditCounts.CONTROLLER_USER;

  private static String event(
      String user,
      String verb,
      String resource,
      String namespace,
      double fromSeconds,
      double toSeconds,
      String apfWait) {
    return """
        {"stage":"ResponseComplete","verb":"%s","user":{"username":"%s"},\
        "objectRef":{"namespace":"%s","resource":"%s","name":"x"},\
        "requestReceivedTimestamp":"%s","stageTimestamp":"%s",\
        "annotations":{"apiserver.latency.k8s.io/apf-queue-wait":"%s"}}"""
        .formatted(
            verb,
            user,
            namespace,
            resource,
            START.plusMillis((long) (fromSeconds * 1000)),
            START.plusMillis((long) (toSeconds * 1000)),
            apfWait);
  }

  @Test
  void serviceCreatesTheAllocatorAndTheQueuesOfOneWriter() {
    ServiceCreates reading =
        ServiceCreates.of(
            Stream.of(
                event(OPERATOR, "create", "services", "scale", 0, 2, "30µs"),
                event("system:apiserver", "create", "ipaddresses", "", 1.5, 2, ""),
                event(OPERATOR, "create", "services", "scale", 0, 4, "1.5ms"),
                event("system:apiserver", "create", "ipaddresses", "", 3.5, 4, ""),
                event(OPERATOR, "create", "secrets", "scale", 1, 1.1, "2ms"),
                event(OPERATOR, "create", "pods", "scale", 1, 1.3, "1m0.5s"),
                // Another writer's, another namespace's, and a read: not counted.
                event("sandbox-admin", "create", "services", "scale", 0, 9, "0s"),
                event(OPERATOR, "create", "services", "scale-floor", 0, 9, "0s"),
                event(OPERATOR, "get", "services", "scale", 0, 9, "9s"),
                "not json, a line cut by rotation"),
            "start-up",
            "scale",
            OPERATOR);
    assertEquals(
        "scale-service-creates: phase=start-up services=2 service_create_p50_ms=4000"
            + " service_create_p99_ms=4000 services_in_flight=1.5 ip_allocator_busy=0.25"
            + " ip_create_p50_ms=500.0 other_writes_p50_ms=300 apf_wait_p99_ms=60500.0"
            + " apf_wait_max_ms=60500.0",
        reading.format());
  }

  @Test
  void goDurationsInMilliseconds() {
    assertEquals(0.0298, ServiceCreates.millis("29.8µs"), 1e-9);
    assertEquals(1206.394392, ServiceCreates.millis("1.206394392s"), 1e-9);
    assertEquals(2.5, ServiceCreates.millis("2.5ms"), 1e-9);
    assertEquals(62_300, ServiceCreates.millis("1m2.3s"), 1e-9);
    assertEquals(0, ServiceCreates.millis(""), 1e-9);
  }
}
