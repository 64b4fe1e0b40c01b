package org.steppolicy.infer;

/**
 * A reverse-diffusion sampler over a denoiser. It runs from a given start so that cold starts (pure noise at the first
 * of its own timesteps) and warm starts (a prepared sample at any descending timestep list) share one code path.
 * Each instance owns its work buffers: one solver per runner, not thread-safe.
 */
public interface Solver {
    SolverKind kind();

    /** The timesteps this solver uses for {@code steps} steps started from pure noise. */
    int[] timesteps(int steps);

    /**
     * Denoises x in place. x holds the sample at timesteps[0]; each step goes from timesteps[i] to timesteps[i+1], the
     * last one to the clean sample (ᾱ = 1).
     *
     * @param x     [batch, horizon, inputDim] row-major, replaced by the clean sample
     * @param cond  [batch, condDim] passed through to the denoiser (ignored by inpainting denoisers)
     * @param noise the runner's noise source (only the stochastic DDPM solver draws from it)
     */
    void run(Denoiser denoiser, int[] timesteps, float[] x, float[] cond, int batch, GaussianNoise noise,
             SampleConstraint constraint);

    /**
     * {@link #run} with two hooks for a start in the middle of the chain (Falcon, docs/falcon.md).
     *
     * @param firstOutput when not null, the model's output at timesteps[0] for x (already computed, e.g. in a batched
     *                    scoring call): the first step uses it instead of calling the denoiser, saving one evaluation
     * @param recorder    when not null, sees the sample at each timesteps[i] (after the constraint), before its step
     */
    void run(Denoiser denoiser, int[] timesteps, float[] x, float[] cond, int batch, GaussianNoise noise,
             SampleConstraint constraint, float[] firstOutput, LatentRecorder recorder);

    /** Receives the latents of a chain as it passes through them. */
    @FunctionalInterface
    interface LatentRecorder {
        /** x holds the sample at timesteps[index] (batch 1): copy what is kept, x is overwritten by the next step. */
        void record(int index, int timestep, float[] x);
    }
}
