/** Owner-reference garbage collection, as the real controller-manager does it. */
package io.redisoperator.sandbox.gc;
