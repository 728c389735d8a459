/**
 * Pure builders of the objects a RedisCluster owns: pods, PVCs, Services, ConfigMap,
 * PodDisruptionBudgets, RBAC, Secrets. Depend on protocol and the fabric8 model only.
 */
package io.redisoperator.controller.resources;
