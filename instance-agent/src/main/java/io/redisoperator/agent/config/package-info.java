/** Pure rendering of redis.conf from the cluster's settings and the pod's role. */
package io.redisoperator.agent.config;
