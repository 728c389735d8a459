package io.redisoperator.sandbox;

import java.util.Locale;

/** Which API server a sandbox runs. */
public enum ApiServerKind {
  /**
   * Kubernetes' own kube-apiserver, controller-manager and scheduler (built by
   * scripts/build-control-plane.sh), with authentication, RBAC, admission, garbage collection and
   * the Eviction API. The sandbox fails to start without it.
   */
  KUBERNETES,
  /**
   * fabric8's CRUD mock: no authentication, RBAC, admission, schema validation or garbage
   * collection by Kubernetes. Chosen explicitly only; every sandbox on it says so loudly.
   */
  MOCK;

  /**
   * The system property choosing the API server ({@code kubernetes}, the default, or {@code mock}).
   */
  public static final String PROPERTY = "redis.sandbox.apiServer";

  public static ApiServerKind fromSystemProperty() {
    return valueOf(System.getProperty(PROPERTY, "kubernetes").toUpperCase(Locale.ROOT));
  }
}
