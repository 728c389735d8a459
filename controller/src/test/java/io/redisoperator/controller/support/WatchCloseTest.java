package io.redisoperator.controller.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A watch the client closes while the mock is still sending it events leaves the mock answering. On
 * the plain fabric8 mock (8.0.0) the close waited on the server's only event loop for the event
 * being written, and that write waited for the same event loop: every request timed out for 30 s or
 * more (CI failed BackupActorTest and InformerHubStartTest this way).
 */
class WatchCloseTest {
  private static final String NS = "watch-close";

  /** Enough objects that the events a new watch is replayed are still being sent at its close. */
  private static final int OBJECTS = 300;

  static KubernetesMockServer server;
  static KubernetesClient client;

  @BeforeAll
  static void start() {
    server = MockServers.start();
    client = server.createClient();
    for (int i = 0; i < OBJECTS; i++) {
      client
          .configMaps()
          .inNamespace(NS)
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("cm-" + i)
                  .endMetadata()
                  .addToData("payload", "x".repeat(512))
                  .build())
          .create();
    }
  }

  @AfterAll
  static void stop() {
    MockServers.stop(server, client);
  }

  @Test
  void aWatchClosedWhileItsEventsAreSentLeavesTheServerAnswering() throws Exception {
    for (int round = 0; round < 10; round++) {
      CountDownLatch firstEvent = new CountDownLatch(1);
      Watch watch =
          client
              .configMaps()
              .inNamespace(NS)
              .watch(
                  new Watcher<ConfigMap>() {
                    @Override
                    public void eventReceived(Action action, ConfigMap resource) {
                      firstEvent.countDown();
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
      assertTrue(firstEvent.await(10, TimeUnit.SECONDS), "the watch is replayed what exists");
      watch.close();
      // The client's requests time out after 10 s (fabric8's default): a stalled mock fails here.
      assertEquals(
          "x".repeat(512),
          client
              .configMaps()
              .inNamespace(NS)
              .withName("cm-" + round)
              .get()
              .getData()
              .get("payload"),
          "round " + round);
    }
  }
}
