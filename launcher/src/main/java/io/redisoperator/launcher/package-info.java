/** The single runnable jar: dispatches to the controller, instance or plugin role. */
package io.redisoperator.launcher;
