package io.redisoperator.protocol.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.redisoperator.protocol.json.Json;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisClusterStatus#equals} (which decides whether a status write changes anything)
 * compares every field, and so does every class of this package it reaches, the spec of {@code
 * lastValidSpec} included: each field in turn is given another value, and the objects must differ.
 * A field added to a class but not to its {@code equals} fails here.
 */
class StatusEqualityTest {
  private static final String PACKAGE = RedisClusterStatus.class.getPackageName();

  @Test
  void everyFieldOfTheStatusAndWhatItHoldsCounts() throws Exception {
    Set<Class<?>> classes = reachable(RedisClusterStatus.class);
    assertTrue(classes.contains(RedisClusterSpec.class), classes.toString());
    assertTrue(classes.contains(FailoverSpec.class), classes.toString());
    for (Class<?> type : classes) {
      Object base = type.getConstructor().newInstance();
      assertEquals(base, type.getConstructor().newInstance(), type.getSimpleName());
      assertEquals(
          base.hashCode(), type.getConstructor().newInstance().hashCode(), type.getSimpleName());
      for (Field field : fields(type)) {
        Object changed = type.getConstructor().newInstance();
        field.set(changed, another(field.getGenericType(), field.get(changed)));
        String what = type.getSimpleName() + "." + field.getName();
        assertNotEquals(base, changed, what);
        assertNotEquals(changed, base, what);
      }
    }
  }

  @Test
  void aStatusReadAgainEqualsTheOneWritten() throws Exception {
    String json =
        """
        {"phase":"Healthy","currentPrimary":"c-0","fencedInstances":["c-2"],
         "conditions":[{"type":"Ready","status":"True","reason":"ClusterReady"}],
         "instancesStatus":{"c-0":{"role":"primary","ready":true}},
         "lastValidSpec":{"instances":3,"redis":{"maxmemory":"1gb"},"storage":{"size":"2Gi"},
           "failover":{"pollIntervalMillis":500},"durability":{"minReplicasToWrite":1},
           "tolerations":[{"key":"k","operator":"Exists"}],
           "resources":{"limits":{"memory":"1Gi"}}}}""";
    RedisClusterStatus one = Json.mapper().readValue(json, RedisClusterStatus.class);
    RedisClusterStatus two = Json.mapper().readValue(json, RedisClusterStatus.class);
    assertEquals(one, two);
    assertEquals(one.hashCode(), two.hashCode());
    two.getLastValidSpec().getFailover().setPollIntervalMillis(501);
    assertFalse(one.equals(two), "a change deep in the spec is a change");
  }

  /** {@code root} and every class of this package its fields hold, directly or in collections. */
  private static Set<Class<?>> reachable(Class<?> root) {
    Set<Class<?>> seen = new LinkedHashSet<>();
    List<Class<?>> todo = new ArrayList<>(List.of(root));
    while (!todo.isEmpty()) {
      Class<?> type = todo.remove(0);
      if (!seen.add(type)) {
        continue;
      }
      for (Field field : fields(type)) {
        for (Class<?> held : classesIn(field.getGenericType())) {
          if (held.getPackageName().equals(PACKAGE) && !held.isEnum()) {
            todo.add(held);
          }
        }
      }
    }
    return seen;
  }

  private static List<Class<?>> classesIn(Type type) {
    if (type instanceof Class<?> c) {
      return List.of(c);
    }
    List<Class<?>> classes = new ArrayList<>();
    if (type instanceof ParameterizedType p) {
      classes.addAll(classesIn(p.getRawType()));
      for (Type argument : p.getActualTypeArguments()) {
        classes.addAll(classesIn(argument));
      }
    }
    return classes;
  }

  private static List<Field> fields(Class<?> type) {
    List<Field> fields = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      if (!Modifier.isStatic(field.getModifiers())) {
        field.setAccessible(true);
        fields.add(field);
      }
    }
    return fields;
  }

  /** A value of {@code type} that differs from {@code current}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object another(Type type, Object current) throws Exception {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] arguments = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        List list = current == null ? new ArrayList<>() : new ArrayList<>((List) current);
        list.add(another(arguments[0], null));
        return list;
      }
      if (Map.class.isAssignableFrom(raw)) {
        Map map = current == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map) current);
        map.put("another", another(arguments[1], null));
        return map;
      }
      throw new AssertionError("no value for " + type);
    }
    Class<?> c = (Class<?>) type;
    if (c == String.class) {
      return current == null ? "x" : current + "x";
    }
    if (c == Integer.class) {
      return current == null ? 7 : (Integer) current + 1;
    }
    if (c == Long.class) {
      return current == null ? 7L : (Long) current + 1;
    }
    if (c == Boolean.class) {
      return current == null ? Boolean.TRUE : !(Boolean) current;
    }
    if (c.isEnum()) {
      for (Object constant : c.getEnumConstants()) {
        if (constant != current) {
          return constant;
        }
      }
    }
    // Any other object: present where it was absent, absent where it was present.
    return current == null ? c.getConstructor().newInstance() : null;
  }
}
