package io.redisoperator.agent.instance;

/** The result of one operation: the state to adopt and what to answer. */
public record Transition(InstanceState next, Outcome outcome) {}
