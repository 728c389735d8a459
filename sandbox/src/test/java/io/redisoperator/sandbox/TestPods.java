package io.redisoperator.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** Pods running plain local programs (no operator jar), for testing the sandbox itself. */
final class TestPods {
  private TestPods() {}

  static Sandbox startSandbox() {
    return Sandbox.start(
        SandboxConfig.defaults()
            .withStateRoot(Path.of("target", "sandbox-state").toAbsolutePath())
            .withLogsDir(logsDir()));
  }

  /** Where the kubelet of {@link #startSandbox()} writes container logs. */
  static Path logsDir() {
    return Path.of("target", "sandbox-logs").toAbsolutePath();
  }

  /**
   * A pod serving HTTP on $(POD_IP):8000 with python, ready when / answers; index.html says the
   * pod's name.
   */
  static Pod webPod(String name, String app) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .addToLabels("app", app)
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(10L)
        .addNewContainer()
        .withName("web")
        .withImage("python")
        .withCommand(
            "/bin/sh",
            "-c",
            "echo $(POD_NAME) > index.html && exec /usr/bin/python3 -m http.server 8000 --bind $(POD_IP)")
        .addNewPort()
        .withName("http")
        .withContainerPort(8000)
        .endPort()
        .addNewEnv()
        .withName("POD_NAME")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("metadata.name")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .addNewEnv()
        .withName("POD_IP")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("status.podIP")
        .endFieldRef()
        .endValueFrom()
        .endEnv()
        .withNewReadinessProbe()
        .withNewHttpGet()
        .withPath("/")
        .withNewPort("http")
        .endHttpGet()
        .withPeriodSeconds(1)
        .withFailureThreshold(1)
        .endReadinessProbe()
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * TLS as the sandbox administrator (client certificate) trusting the cluster CA, for tests that
   * talk to the API server, or a pod's endpoint of it, over raw sockets. No host name check: a pod
   * endpoint's IP is not in the serving certificate (pods use the in-cluster name).
   */
  static javax.net.ssl.SSLContext adminTls(Sandbox sandbox) throws Exception {
    var admin = sandbox.controlPlane().orElseThrow().admin();
    var certificates = java.security.cert.CertificateFactory.getInstance("X.509");
    var ca =
        certificates.generateCertificate(
            new java.io.ByteArrayInputStream(admin.caPem().getBytes()));
    var cert =
        certificates.generateCertificate(
            new java.io.ByteArrayInputStream(admin.credential().certificatePem().getBytes()));
    String keyBase64 =
        admin
            .credential()
            .privateKeyPem()
            .replaceAll("-----[A-Z ]+-----", "")
            .replaceAll("\\s", "");
    var key =
        java.security.KeyFactory.getInstance("EC")
            .generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(
                    java.util.Base64.getDecoder().decode(keyBase64)));
    var store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("ca", ca);
    store.setKeyEntry("admin", key, new char[0], new java.security.cert.Certificate[] {cert});
    var keys =
        javax.net.ssl.KeyManagerFactory.getInstance(
            javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    var trust =
        javax.net.ssl.TrustManagerFactory.getInstance(
            javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    var context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
    return context;
  }

  static Pod await(KubernetesClient client, String name, Predicate<Pod> condition) {
    return client
        .pods()
        .inNamespace("default")
        .withName(name)
        .waitUntilCondition(
            p -> p != null && p.getStatus() != null && condition.test(p), 60, TimeUnit.SECONDS);
  }

  static boolean isReady(Pod pod) {
    return io.fabric8.kubernetes.client.readiness.Readiness.isPodReady(pod);
  }

  /**
   * Checks that {@code condition} holds all along {@code period}, polled every 100 ms: what a test
   * means by "stays so for a while" (never a sleep followed by one look).
   */
  static void holds(Duration period, BooleanSupplier condition, String what) {
    Awaitility.await(what)
        .during(period)
        .atMost(period.plus(Duration.ofSeconds(5)))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .until(condition::getAsBoolean);
  }

  /**
   * Waits until {@code value} stops changing (two reads 250 ms apart agree) and returns it: what
   * was in flight has landed.
   */
  static <T> T settled(java.util.function.Supplier<T> value, String what) {
    java.util.concurrent.atomic.AtomicReference<T> last =
        new java.util.concurrent.atomic.AtomicReference<>(value.get());
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ofMillis(250))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              T now = value.get();
              return now.equals(last.getAndSet(now));
            });
    return last.get();
  }

  static void eventually(Duration timeout, BooleanSupplier condition, String what) {
    Awaitility.await(what)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(condition::getAsBoolean);
  }
}
