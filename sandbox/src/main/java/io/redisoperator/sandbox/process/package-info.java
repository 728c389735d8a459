/** Process groups and signals. */
package io.redisoperator.sandbox.process;
