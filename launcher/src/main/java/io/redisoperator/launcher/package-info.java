/**
 * The single runnable jar: dispatches to the controller or instance role.
 */
package io.redisoperator.launcher;
