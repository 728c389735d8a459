package io.redisoperator.bench.handshake;

import io.redisoperator.protocol.tls.AgentTls;
import io.redisoperator.protocol.tls.CertificateAuthority;
import io.redisoperator.protocol.tls.CertificateRequest;
import io.redisoperator.protocol.tls.KeyMaterial;
import io.redisoperator.protocol.tls.Pem;
import io.redisoperator.protocol.tls.StoredCertificates;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.crypto.KeyAgreement;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The CPU of one full handshake between the controller's and an agent's TLS contexts ({@link
 * AgentTls}, certificates from the project's {@link CertificateAuthority}), as a restarted
 * controller pays it for each of its first contacts; and the elliptic-curve operations a handshake
 * is made of. The controller's side is built as the controller builds it for a cluster: its client
 * certificate, and {@link AgentTls#podTrust} holding each connection to the pod's name, once with
 * the agent's certificate checked in full by PKIX ({@code trust=pkix}) and once with it found as
 * the certificate the controller stored for the pod ({@code trust=stored}, {@link
 * StoredCertificates}). Run it with the JVM flags being compared, e.g. {@code
 * -XX:TieredStopAtLevel=1} and {@code -Djdk.tls.namedGroups=x25519}; the lines say which were in
 * effect:
 *
 * <pre>
 * agent-handshake: jit=.. named_groups=.. trust=.. protocol=.. cipher=.. controller_cpu_ms=.. agent_cpu_ms=.. handshakes=N
 * agent-trust: jit=.. pkix_ms=.. stored_ms=.. checks=N
 * agent-handshake-crypto: jit=.. x25519_ms=.. p256_ecdh_ms=.. p256_keygen_ms=.. ecdsa_p256_sign_ms=..
 *   ecdsa_p256_verify_ms=.. ed25519_sign_ms=.. ed25519_verify_ms=..
 * </pre>
 *
 * {@code controller_cpu_ms} and {@code agent_cpu_ms}: each side's CPU per handshake, after {@code
 * --warmup} handshakes, each with an agent certificate of its own. {@code agent-trust}: the
 * controller's check of one agent certificate alone, freshly parsed as a handshake hands it over. A
 * key exchange's figure is one side's share: a key pair and an agreement; {@code p256_keygen_ms}
 * the key pair alone, what the JDK's client pays for the P-256 share it sends beside X25519.
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
    for (boolean stored : new boolean[] {false, true}) {
      handshakes(ca, controller, now, stored);
    }
    trustChecks(ca, now);
    System.out.println(
        String.format(
            Locale.ROOT,
            "agent-handshake-crypto: jit=%s x25519_ms=%.3f p256_ecdh_ms=%.3f p256_keygen_ms=%.3f"
                + " ecdsa_p256_sign_ms=%.3f ecdsa_p256_verify_ms=%.3f ed25519_sign_ms=%.3f"
                + " ed25519_verify_ms=%.3f",
            jit(),
            keyExchangeMillis("XDH", "XDH", new NamedParameterSpec("X25519")),
            keyExchangeMillis("EC", "ECDH", new ECGenParameterSpec("secp256r1")),
            keyPairMillis("EC", new ECGenParameterSpec("secp256r1")),
            signatureMillis("EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA", true),
            signatureMillis("EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA", false),
            signatureMillis("Ed25519", null, "Ed25519", true),
            signatureMillis("Ed25519", null, "Ed25519", false)));
    return 0;
  }

  /**
   * Full handshakes against agents each with a certificate of its own; {@code stored}: the
   * controller holds each agent's certificate as stored for the pod, as after its first pass.
   */
  private void handshakes(
      CertificateAuthority ca, KeyMaterial controller, Instant now, boolean stored)
      throws Exception {
    X509Certificate[] current = new X509Certificate[1];
    StoredCertificates known =
        stored
            ? (c, pod, leaf) -> pod.equals(POD) && leaf.equals(current[0])
            : StoredCertificates.NONE;
    SSLContext controllerContext = SSLContext.getInstance("TLS");
    controllerContext.init(
        new KeyManager[] {AgentTls.keyManager(controller)},
        new TrustManager[] {AgentTls.podTrust(List.of(ca.certificate()), known)},
        null);
    long controllerNanos = 0;
    long agentNanos = 0;
    InMemoryHandshake.Result last = null;
    for (int i = 0; i < warmup + handshakes; i++) {
      KeyMaterial agent = newAgent(ca, now);
      current[0] = agent.leaf();
      last =
          InMemoryHandshake.run(
              controllerContext, AgentTls.serverContext(agent, List.of(ca.certificate())), POD);
      if (i >= warmup) {
        controllerNanos += last.clientCpuNanos();
        agentNanos += last.serverCpuNanos();
      }
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "agent-handshake: jit=%s named_groups=%s trust=%s protocol=%s cipher=%s"
                + " controller_cpu_ms=%.2f agent_cpu_ms=%.2f handshakes=%d",
            jit(),
            System.getProperty("jdk.tls.namedGroups", "default"),
            stored ? "stored" : "pkix",
            last.protocol(),
            last.cipherSuite(),
            controllerNanos / 1e6 / handshakes,
            agentNanos / 1e6 / handshakes,
            handshakes));
  }

  /**
   * The controller's check of an agent's certificate alone, each certificate of its own and parsed
   * afresh (the JDK remembers a verified signature on the certificate object).
   */
  private void trustChecks(CertificateAuthority ca, Instant now) throws Exception {
    int count = warmup + handshakes;
    List<KeyMaterial> agents = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      agents.add(newAgent(ca, now));
    }
    SSLEngine engine = SSLContext.getDefault().createSSLEngine(POD, 8443);
    X509ExtendedTrustManager pkix = AgentTls.podTrust(List.of(ca.certificate()));
    Set<X509Certificate> issued = new HashSet<>();
    agents.forEach(a -> issued.add(a.leaf()));
    X509ExtendedTrustManager stored =
        AgentTls.podTrust(
            List.of(ca.certificate()), (c, pod, leaf) -> pod.equals(POD) && issued.contains(leaf));
    double pkixMillis = checkMillis(pkix, agents, engine);
    double storedMillis = checkMillis(stored, agents, engine);
    System.out.println(
        String.format(
            Locale.ROOT,
            "agent-trust: jit=%s pkix_ms=%.3f stored_ms=%.3f checks=%d",
            jit(),
            pkixMillis,
            storedMillis,
            handshakes));
  }

  private double checkMillis(
      X509ExtendedTrustManager trust, List<KeyMaterial> agents, SSLEngine engine) throws Exception {
    long measured = 0;
    for (int i = 0; i < agents.size(); i++) {
      X509Certificate leaf = Pem.certificates(agents.get(i).certificatePem()).get(0);
      long t0 = THREADS.getCurrentThreadCpuTime();
      trust.checkServerTrusted(new X509Certificate[] {leaf}, "UNKNOWN", engine);
      if (i >= warmup) {
        measured += THREADS.getCurrentThreadCpuTime() - t0;
      }
    }
    return measured / 1e6 / handshakes;
  }

  /**
   * An agent's certificate of its own, as every pod has: the JDK keeps a certificate it has
   * verified once (by its encoding), so one certificate for every handshake would leave its
   * signature's check out of all but the first.
   */
  private static KeyMaterial newAgent(CertificateAuthority ca, Instant now) {
    return ca.issue(
        CertificateRequest.server(POD, AgentTls.podNames(POD, "scale"), Duration.ofDays(1)), now);
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

  private double keyPairMillis(String keyAlgorithm, AlgorithmParameterSpec spec) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
    generator.initialize(spec);
    return millisEach(generator::generateKeyPair);
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
