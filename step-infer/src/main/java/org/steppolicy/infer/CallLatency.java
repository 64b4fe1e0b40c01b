package org.steppolicy.infer;

/**
 * Wall time of one control call (System.nanoTime), split into the predictor's forward and the diffusion loop; total
 * also holds normalisation, warm-start forming and the chunk slice. coldStart marks a full-diffusion fallback call.
 */
public record CallLatency(long predictorNanos, long diffusionNanos, long totalNanos, boolean coldStart, boolean stalled) {}
