package io.redisoperator.sandbox.controlplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.SSLUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
  /**
   * The kubeconfig `make run` prints works for fabric8 clients as found (the kubectl-redis plugin),
   * not only kubectl.
   */
  @Test
  void aFabric8ClientLoadsTheWrittenKubeconfigsEcKey(@TempDir Path dir) throws Exception {
    Pki pki = Pki.create(Kubeconfig.CLUSTER);
    Kubeconfig kubeconfig =
        new Kubeconfig(
            "https://127.0.0.1:6443",
            pki.caPem(),
            pki.client("sandbox-admin", List.of("system:masters")),
            "sandbox-admin");
    Path file = kubeconfig.write(dir.resolve("kubeconfig"));
    Config config = Config.fromKubeconfig(Files.readString(file));
    String key = new String(Base64.getDecoder().decode(config.getClientKeyData()));
    assertTrue(key.startsWith("-----BEGIN EC PRIVATE KEY-----"), key);
    KeyManager[] managers = SSLUtils.keyManagers(config);
    assertNotNull(managers);
    assertEquals(1, managers.length);
  }
}
