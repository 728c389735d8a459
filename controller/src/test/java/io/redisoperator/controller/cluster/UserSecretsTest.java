package io.redisoperator.controller.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.redisoperator.controller.reconcile.OwnedObjects;
import io.redisoperator.protocol.acl.PasswordHash;
import io.redisoperator.protocol.agent.InstanceLayout;
import io.redisoperator.protocol.crd.RedisClusterSpec;
import io.redisoperator.protocol.crd.RedisUserSpec;
import io.redisoperator.protocol.crd.SecretReference;
import io.redisoperator.protocol.naming.ResourceNames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class UserSecretsTest {
  private final Map<String, Secret> store = new HashMap<>();
  private final UserSecrets secrets =
      new UserSecrets(
          name -> CompletableFuture.completedFuture(Optional.ofNullable(store.get(name))));

  static Secret secret(String name, String version, String password) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withResourceVersion(version)
        .endMetadata()
        .withData(
            password == null
                ? Map.of()
                : Map.of(
                    InstanceLayout.SECRET_KEY_PASSWORD,
                    Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8))))
        .build();
  }

  static RedisClusterSpec spec(String authSecret, String... userSecrets) {
    RedisClusterSpec spec = new RedisClusterSpec();
    if (authSecret != null) {
      spec.setAuthSecret(new SecretReference(authSecret));
    }
    spec.setUsers(
        Arrays.stream(userSecrets)
            .map(
                name -> {
                  RedisUserSpec user = new RedisUserSpec();
                  user.setPasswordSecret(new SecretReference(name));
                  return user;
                })
            .toList());
    return spec;
  }

  @Test
  void hashesEveryNamedPasswordAndSkipsMissingOrEmptyOnes() {
    store.put("auth", secret("auth", "1", "s3cret"));
    store.put("app", secret("app", "1", "apppass"));
    store.put("empty", secret("empty", "1", ""));
    RedisClusterSpec spec = spec("auth", "app", "empty", "missing");
    assertEquals(Set.of("auth", "app", "empty", "missing"), UserSecrets.passwordSecrets(spec));
    Map<String, String> hashes = secrets.readPasswordHashes(spec).toCompletableFuture().join();
    assertEquals(
        Map.of("auth", PasswordHash.of("s3cret"), "app", PasswordHash.of("apppass")), hashes);
    assertTrue(secrets.passwordHashesRead(hashes));
    assertFalse(secrets.passwordHashesRead(Map.copyOf(hashes)));
    assertEquals(hashes, secrets.passwordHashes());
  }

  @Test
  void aFailedReadFailsTheWholeRead() {
    UserSecrets failing =
        new UserSecrets(name -> CompletableFuture.failedFuture(new IllegalStateException("down")));
    assertThrows(
        CompletionException.class,
        () -> failing.readPasswordHashes(spec("auth")).toCompletableFuture().join());
  }

  @Test
  void theAuthSecretVersionComesFromTheUsersSecretOrTheGeneratedOne() {
    store.put("auth", secret("auth", "7", "s3cret"));
    OwnedObjects owned =
        OwnedObjects.of(secret(ResourceNames.generatedAuthSecret("c"), "3", "generated"));
    RedisClusterSpec userAuth = spec("auth");
    assertEquals(Optional.empty(), secrets.authSecretVersion(userAuth, owned, "c"));
    Optional<String> version = secrets.readAuthSecretVersion("auth").toCompletableFuture().join();
    assertTrue(secrets.authSecretVersionRead("auth", version));
    assertFalse(secrets.authSecretVersionRead("auth", version));
    assertEquals(Optional.of("7"), secrets.authSecretVersion(userAuth, owned, "c"));
    assertEquals(Optional.of("3"), secrets.authSecretVersion(spec(null), owned, "c"));
    assertEquals(
        Optional.empty(), secrets.readAuthSecretVersion("missing").toCompletableFuture().join());
  }

  @Test
  void oneReadCarriesBothAndAFailedPasswordReadKeepsTheKnownHashes() {
    store.put("auth", secret("auth", "7", "s3cret"));
    UserSecrets.Reading reading = secrets.read(spec("auth")).toCompletableFuture().join();
    assertEquals(
        new UserSecrets.Reading(
            "auth", Optional.of("7"), Map.of("auth", PasswordHash.of("s3cret"))),
        reading);
    assertTrue(secrets.apply(reading));
    assertFalse(secrets.apply(reading));
    assertFalse(secrets.apply(new UserSecrets.Reading("auth", Optional.of("7"), null)));
    assertEquals(Map.of("auth", PasswordHash.of("s3cret")), secrets.passwordHashes());
    UserSecrets failing =
        new UserSecrets(name -> CompletableFuture.failedFuture(new IllegalStateException("down")));
    assertEquals(
        new UserSecrets.Reading("auth", Optional.empty(), null),
        failing.read(spec("auth")).toCompletableFuture().join());
  }
}
