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
}
