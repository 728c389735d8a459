package io.redisoperator.bench.handshake;

import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.crypto.KeyAgreement;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The CPU of one full handshake between the controller's and an agent's TLS contexts ({@link
 * AgentTls}, certificates from the project's {@link CertificateAuthority}), as a restarted
 * controller pays it for each of its first contacts; and the elliptic-curve operations a handshake
 * is made of. Run it with the JVM flags being compared, e.g. {@code -XX:TieredStopAtLevel=1} and
 * {@code -Djdk.tls.namedGroups=secp256r1}; the lines say which were in effect:
 *
 * <pre>
 * agent-handshake: jit=.. named_groups=.. protocol=.. cipher=.. controller_cpu_ms=.. agent_cpu_ms=.. handshakes=N
 * agent-handshake-crypto: jit=.. x25519_ms=.. p256_ecdh_ms=.. ecdsa_p256_sign_ms=.. ecdsa_p256_verify_ms=..
 *   ed25519_sign_ms=.. ed25519_verify_ms=..
 * </pre>
 *
 * {@code controller_cpu_ms} and {@code agent_cpu_ms}: each side's CPU per handshake, after {@code
 * --warmup} handshakes, each with an agent certificate of its own. A key exchange's figure is one
 * side's share: a key pair and an agreement.
 */
@Command(
    name = "agent-handshake",
    mixinStandardHelpOptions = true,
    description = "The CPU of a full agent TLS handshake, each side, and its crypto operations.")
public final class AgentHandshakeBench implements Callable<Integer> {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String POD = "c0000-0";

  @Option(
      names = "--warmup",
      description =
          "Handshakes (and operations) before the measured ones (default: ${DEFAULT-VALUE}).")
  int warmup = 300;

  @Option(
      names = "--handshakes",
      description = "Measured handshakes (and operations) (default: ${DEFAULT-VALUE}).")
  int handshakes = 500;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentHandshakeBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Instant now = Instant.now();
    Duration day = Duration.ofDays(1);
    CertificateAuthority ca = CertificateAuthority.create("agent-ca", now, day);
    KeyMaterial controller =
        ca.issue(CertificateRequest.client(AgentTls.CONTROLLER_NAME, day), now);
    SSLContext controllerContext =
        AgentTls.clientContext(controller, List.of(ca.certificate()), POD);
    for (int i = 0; i < warmup; i++) {
      InMemoryHandshake.run(controllerContext, newAgent(ca, now), POD);
    }
    long controllerNanos = 0;
    long agentNanos = 0;
    InMemoryHandshake.Result last = null;
    for (int i = 0; i < handshakes; i++) {
      last = InMemoryHandshake.run(controllerContext, newAgent(ca, now), POD);
      controllerNanos += last.clientCpuNanos();
      agentNanos += last.serverCpuNanos();
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "agent-handshake: jit=%s named_groups=%s protocol=%s cipher=%s controller_cpu_ms=%.2f"
                + " agent_cpu_ms=%.2f handshakes=%d",
            jit(),
            System.getProperty("jdk.tls.namedGroups", "default"),
            last.protocol(),
            last.cipherSuite(),
            controllerNanos / 1e6 / handshakes,
            agentNanos / 1e6 / handshakes,
            handshakes));
    System.out.println(
        String.format(
            Locale.ROOT,
            "agent-handshake-crypto: jit=%s x25519_ms=%.3f p256_ecdh_ms=%.3f"
                + " ecdsa_p256_sign_ms=%.3f ecdsa_p256_verify_ms=%.3f ed25519_sign_ms=%.3f"
                + " ed25519_verify_ms=%.3f",
            jit(),
            keyExchangeMillis("XDH", "XDH", new NamedParameterSpec("X25519")),
            keyExchangeMillis("EC", "ECDH", new ECGenParameterSpec("secp256r1")),
            signatureMillis("EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA", true),
            signatureMillis("EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA", false),
            signatureMillis("Ed25519", null, "Ed25519", true),
            signatureMillis("Ed25519", null, "Ed25519", false)));
    return 0;
  }

  /**
   * An agent with a certificate of its own, as every pod has: the JDK keeps a certificate it has
   * verified once (by its encoding), so one certificate for every handshake would leave its
   * signature's check out of all but the first.
   */
  private static SSLContext newAgent(CertificateAuthority ca, Instant now) throws Exception {
    KeyMaterial agent =
        ca.issue(
            CertificateRequest.server(POD, AgentTls.podNames(POD, "scale"), Duration.ofDays(1)),
            now);
    return AgentTls.serverContext(agent, List.of(ca.certificate()));
  }

  /** Tiered (C1 and C2) unless the JVM was told to stop below; the last such flag wins. */
  private static String jit() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-XX:TieredStopAtLevel="))
        .reduce((first, second) -> second)
        .map(a -> "level" + a.substring(a.indexOf('=') + 1))
        .orElse("tiered");
  }

  private interface Operation {
    void run() throws Exception;
  }

  /** This thread's CPU per operation, after {@link #warmup} of them. */
  private double millisEach(Operation operation) throws Exception {
    for (int i = 0; i < warmup; i++) {
      operation.run();
    }
    long t0 = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < handshakes; i++) {
      operation.run();
    }
    return (THREADS.getCurrentThreadCpuTime() - t0) / 1e6 / handshakes;
  }

  private double keyExchangeMillis(
      String keyAlgorithm, String agreement, AlgorithmParameterSpec spec) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
    generator.initialize(spec);
    KeyPair peer = generator.generateKeyPair();
    return millisEach(
        () -> {
          KeyAgreement ka = KeyAgreement.getInstance(agreement);
          ka.init(generator.generateKeyPair().getPrivate());
          ka.doPhase(peer.getPublic(), true);
          ka.generateSecret();
        });
  }

  private double signatureMillis(
      String keyAlgorithm, AlgorithmParameterSpec spec, String algorithm, boolean sign)
      throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
    if (spec != null) {
      generator.initialize(spec);
    }
    KeyPair pair = generator.generateKeyPair();
    byte[] transcriptHash = new byte[48];
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(pair.getPrivate());
    signer.update(transcriptHash);
    byte[] signature = signer.sign();
    return millisEach(
        () -> {
          Signature s = Signature.getInstance(algorithm);
          if (sign) {
            s.initSign(pair.getPrivate());
            s.update(transcriptHash);
            s.sign();
          } else {
            s.initVerify(pair.getPublic());
            s.update(transcriptHash);
            if (!s.verify(signature)) {
              throw new IllegalStateException(algorithm + " did not verify its own signature");
            }
          }
        });
  }
}
