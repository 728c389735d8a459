/** Projected Secret and ConfigMap files: reading them and watching them for live rotation. */
package io.redisoperator.agent.secrets;
