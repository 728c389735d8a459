package io.redisoperator.sandbox.controlplane;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * One identity's way to the sandbox API server: the server URL, the cluster CA and a client
 * certificate. Written as a kubeconfig file (for kubectl and the Go components) or turned into a
 * fabric8 {@link Config} (for the sandbox's own clients). Keys are EC, which fabric8 must be told.
 */
public record Kubeconfig(String server, String caPem, Pki.Issued credential, String user) {

  public static final String CLUSTER = "redis-sandbox";

  /** Writes the kubeconfig (owner-only: it holds a private key) and returns its path. */
  public Path write(Path file) {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: %1$s
          cluster:
            server: %2$s
            certificate-authority-data: %3$s
        users:
        - name: %4$s
          user:
            client-certificate-data: %5$s
            client-key-data: %6$s
        contexts:
        - name: %1$s
          context:
            cluster: %1$s
            user: %4$s
            namespace: default
        current-context: %1$s
        """
            .formatted(
                CLUSTER,
                server,
                base64(caPem),
                user,
                base64(credential.certificatePem()),
                base64(Pki.ecPrivateKeyPem(credential.privateKeyPem())));
    try {
      // Written beside and moved into place, so a reader never sees a half-written file.
      Files.createDirectories(file.getParent());
      Path partial =
          Files.createTempFile(
              file.getParent(),
              file.getFileName().toString(),
              ".partial",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(partial, yaml, StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /**
   * A fabric8 configuration for this identity, bound to this server only (no kubeconfig or
   * service-account lookup).
   */
  public Config clientConfig() {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(server)
        .withCaCertData(base64(caPem))
        .withClientCertData(base64(credential.certificatePem()))
        .withClientKeyData(base64(credential.privateKeyPem()))
        .withClientKeyAlgo("EC")
        .withNamespace("default")
        .withHttp2Disable(true)
        .withRequestTimeout(10_000)
        .withConnectionTimeout(5_000)
        .build();
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
