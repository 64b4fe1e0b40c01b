package org.steppolicy.serve;

/**
 * Wall time of one chunk inside the policy, split into the predictor's forward and the diffusion solver; coldStart
 * marks a full-diffusion chunk (no previous chunk to warm-start from), perturbed a fired velocity perturbation.
 */
public record ComputeTime(long totalNanos, long predictorNanos, long diffusionNanos, boolean coldStart, boolean perturbed) {}
