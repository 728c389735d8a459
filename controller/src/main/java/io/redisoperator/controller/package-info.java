/**
 * The controller role's entry point: command-line settings, the actor system, informers, leader
 * election and metrics wired together. Depends on every controller package and on protocol; never
 * on the instance agent.
 */
package io.redisoperator.controller;
