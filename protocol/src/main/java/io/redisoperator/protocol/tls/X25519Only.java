package io.redisoperator.protocol.tls;

import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Key agreement by X25519 alone on one TLS engine. JDK 17's client sends a key share for the first
 * group of each of two families it supports, X25519 and P-256, and an agent (the same JDK, X25519
 * first) always answers with X25519: the P-256 key pair, about 1 ms of plain Java on C1, a quarter
 * of the controller's CPU for a first contact, was made for nothing. JDK 17 has no per-connection
 * named groups (JDK 20's {@code SSLParameters.setNamedGroups}), and {@code jdk.tls.namedGroups}
 * applies to the whole JVM, the API server's connections included (a FIPS API server has no
 * X25519). An engine's algorithm constraints can deny a named group, though: the engine then
 * neither offers nor accepts it, and the JDK adds its own constraints to these.
 */
public final class X25519Only implements AlgorithmConstraints {
  private static final Set<CryptoPrimitive> KEY_AGREEMENT = Set.of(CryptoPrimitive.KEY_AGREEMENT);

  private final AlgorithmConstraints others;

  private X25519Only(AlgorithmConstraints others) {
    this.others = others;
  }

  /** Makes {@code engine} offer and accept the X25519 group only, its other constraints kept. */
  public static void apply(SSLEngine engine) {
    engine.setSSLParameters(applyTo(engine.getSSLParameters()));
  }

  static SSLParameters applyTo(SSLParameters parameters) {
    parameters.setAlgorithmConstraints(new X25519Only(parameters.getAlgorithmConstraints()));
    return parameters;
  }

  /**
   * The JDK asks about a named group by its name, for key agreement alone; every other group of TLS
   * (the NIST and Brainpool curves, X448, the finite-field groups) is refused here, so no second
   * family takes P-256's place.
   */
  static boolean isOtherNamedGroup(String algorithm) {
    String name = algorithm.toLowerCase(Locale.ROOT);
    return name.startsWith("secp")
        || name.startsWith("sect")
        || name.startsWith("brainpool")
        || name.startsWith("ffdhe")
        || name.equals("x448");
  }

  @Override
  public boolean permits(
      Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
    if (primitives.equals(KEY_AGREEMENT) && algorithm != null && isOtherNamedGroup(algorithm)) {
      return false;
    }
    return others == null || others.permits(primitives, algorithm, parameters);
  }

  @Override
  public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
    return others == null || others.permits(primitives, key);
  }

  @Override
  public boolean permits(
      Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters parameters) {
    return others == null || others.permits(primitives, algorithm, key, parameters);
  }
}
