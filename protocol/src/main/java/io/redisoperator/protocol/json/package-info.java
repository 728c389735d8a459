/** The one Jackson mapper both sides use. */
package io.redisoperator.protocol.json;
