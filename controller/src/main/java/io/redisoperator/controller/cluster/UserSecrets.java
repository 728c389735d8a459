package io.redisoperator.controller.cluster;

import io.fabric8.kubernetes.api.model.Secret;
import io.redisoperator.controller.reconcile.OwnedObjects;
import io.redisoperator.controller.resources.ClusterSecrets;
import io.redisoperator.protocol.acl.PasswordHash;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.naming.ResourceNames;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What the actor knows of the Secrets the user names (not owned; read from the user Secrets'
 * informer cache, see InformerHub): the resource version of the auth Secret, and the SHA-256 of
 * every named password (the ACL the pods apply needs nothing else). Read when such a Secret or an
 * owned object changes, and at every resync.
 */
final class UserSecrets {
  /**
   * One read of the user's Secrets.
   *
   * @param authSecret the auth Secret the spec names, null when it names none
   * @param authSecretVersion its resource version, empty when missing or unreadable
   * @param passwordHashes by Secret name, null when a read failed (a failed read is no deletion)
   */
  record Reading(
      String authSecret, Optional<String> authSecretVersion, Map<String, String> passwordHashes) {}

  private final Function<String, CompletionStage<Optional<Secret>>> read;
  private String authSecretName;
  private Optional<String> authSecretVersion = Optional.empty();
  private Map<String, String> passwordHashes = Map.of();

  /**
   * @param read gets a Secret of the cluster's namespace by name
   */
  UserSecrets(Function<String, CompletionStage<Optional<Secret>>> read) {
    this.read = read;
  }

  /** Reads the auth Secret's version and every named password; never fails. */
  CompletionStage<Reading> read(RedisClusterSpec spec) {
    String authSecret = spec.getAuthSecret() == null ? null : spec.getAuthSecret().getName();
    CompletableFuture<Optional<String>> version =
        authSecret == null
            ? CompletableFuture.completedFuture(Optional.empty())
            : readAuthSecretVersion(authSecret).toCompletableFuture();
    CompletableFuture<Map<String, String>> hashes =
        readPasswordHashes(spec)
            .handle((h, failure) -> failure == null ? h : null)
            .toCompletableFuture();
    return version.thenCombine(hashes, (v, h) -> new Reading(authSecret, v, h));
  }

  /** Keeps what was read; true when it differs from what was known. */
  boolean apply(Reading reading) {
    boolean versionChanged =
        reading.authSecret() != null
            && authSecretVersionRead(reading.authSecret(), reading.authSecretVersion());
    boolean hashesChanged =
        reading.passwordHashes() != null && passwordHashesRead(reading.passwordHashes());
    return versionChanged || hashesChanged;
  }

  /** The Secrets whose passwords the spec names: the auth Secret and each user's. */
  static Set<String> passwordSecrets(RedisClusterSpec spec) {
    Set<String> names = new TreeSet<>();
    if (spec.getAuthSecret() != null && spec.getAuthSecret().getName() != null) {
      names.add(spec.getAuthSecret().getName());
    }
    if (spec.getUsers() != null) {
      spec.getUsers().stream()
          .filter(
              u ->
                  u != null
                      && u.getPasswordSecret() != null
                      && u.getPasswordSecret().getName() != null)
          .forEach(u -> names.add(u.getPasswordSecret().getName()));
    }
    return names;
  }

  /**
   * Reads the password hash of each Secret the spec names, by Secret name (a missing Secret or an
   * empty password has none). Fails if any read fails: a failed read is no deletion.
   */
  CompletionStage<Map<String, String>> readPasswordHashes(RedisClusterSpec spec) {
    Map<String, CompletableFuture<Optional<String>>> reads = new TreeMap<>();
    for (String secret : passwordSecrets(spec)) {
      reads.put(
          secret,
          read.apply(secret)
              .thenApply(
                  found ->
                      found.flatMap(
                          s -> ClusterSecrets.value(s, InstanceLayout.SECRET_KEY_PASSWORD)))
              .thenApply(p -> p.filter(v -> !v.isEmpty()).map(PasswordHash::of))
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(reads.values().toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              Map<String, String> hashes = new TreeMap<>();
              reads.forEach((name, f) -> f.join().ifPresent(h -> hashes.put(name, h)));
              return Map.copyOf(hashes);
            });
  }

  /** Keeps the hashes read; true when they differ from the ones known. */
  boolean passwordHashesRead(Map<String, String> hashes) {
    if (hashes.equals(passwordHashes)) {
      return false;
    }
    passwordHashes = hashes;
    return true;
  }

  Map<String, String> passwordHashes() {
    return passwordHashes;
  }

  /**
   * The resource version of the user's auth Secret (empty when it is missing or cannot be read).
   */
  CompletionStage<Optional<String>> readAuthSecretVersion(String secret) {
    return read.apply(secret)
        .handle(
            (found, failure) ->
                failure != null || found.isEmpty()
                    ? Optional.empty()
                    : Optional.of(found.get().getMetadata().getResourceVersion()));
  }

  /** Keeps the version read; true when it differs from the one known. */
  boolean authSecretVersionRead(String secret, Optional<String> version) {
    boolean changed = !Objects.equals(secret, authSecretName) || !version.equals(authSecretVersion);
    authSecretName = secret;
    authSecretVersion = version;
    return changed;
  }

  /**
   * The version of the Secret the passwords come from: the user's auth Secret when the spec names
   * one (known only once read), else the generated one from the cache.
   */
  Optional<String> authSecretVersion(RedisClusterSpec spec, OwnedObjects owned, String cluster) {
    if (spec != null && spec.getAuthSecret() != null) {
      return Objects.equals(authSecretName, spec.getAuthSecret().getName())
          ? authSecretVersion
          : Optional.empty();
    }
    return owned
        .get(Secret.class, ResourceNames.generatedAuthSecret(cluster))
        .map(s -> s.getMetadata().getResourceVersion());
  }
}
