package org.steppolicy.infer;

/**
 * Wall time of one control call (System.nanoTime), split into the predictor's forward and the diffusion loop; total
 * also holds normalisation, warm-start forming and the chunk slice. coldStart marks a full-diffusion fallback call.
 * velocityNorm is the ‖ΔA‖ the velocity-aware stall test compared with ε_a on this call (NaN when no test ran:
 * perturbation off, fewer than two cached chunks, or a method without a warm start).
 */
public record CallLatency(long predictorNanos, long diffusionNanos, long totalNanos, boolean coldStart, boolean stalled,
                          double velocityNorm) {
    /** A call whose stall test is unknown (e.g. measured through a server). */
    public CallLatency(long predictorNanos, long diffusionNanos, long totalNanos, boolean coldStart, boolean stalled) {
        this(predictorNanos, diffusionNanos, totalNanos, coldStart, stalled, Double.NaN);
    }
}
