package org.steppolicy.sim;

/**
 * What one Push-T env step returns. {@code done} is success (coverage strictly above 0.95, §E.3);
 * {@code truncated} says the episode has reached its 300 steps (§E.4).
 */
public record StepResult(double[] obs, double reward, boolean done, boolean truncated, double coverage) {}
