package org.steppolicy.infer;

import org.steppolicy.models.BetaSchedule;

/**
 * A DDPM schedule over T steps the solvers step on: Diffusion Policy's squaredcos_cap_v2 by default, or whatever β
 * schedule a checkpoint's {@link SchedulerConfig} names (docs/reference/diffusion-policy.md §B.3, diffusers v0.11.1).
 * α = 1 − β and the sequential cumulative product ᾱ are float32, and the fixed_small posterior variance is float32
 * too, so every row of the cosine schedule equals the reference table's torch values.
 */
public final class NoiseSchedule {
    /** Diffusion Policy trains and samples with 100 steps (§B.3). */
    public static final int DP_STEPS = 100;
    /** diffusers clamps the fixed_small variance from below (§B.3). */
    private static final float MIN_VARIANCE = 1e-20f;

    private final float[] betas;
    private final float[] alphas;
    private final float[] alphasCumprod;
    private final float[] posteriorVariance;

    private NoiseSchedule(float[] betas) {
        int n = betas.length;
        this.betas = betas;
        this.alphas = new float[n];
        this.alphasCumprod = new float[n];
        this.posteriorVariance = new float[n];
        float prod = 1f;
        for (int i = 0; i < n; i++) {
            alphas[i] = 1f - betas[i];
            prod *= alphas[i];
            alphasCumprod[i] = prod;
        }
        for (int t = 0; t < n; t++) {
            float prev = t > 0 ? alphasCumprod[t - 1] : 1f;
            float v = (1f - prev) / (1f - alphasCumprod[t]) * betas[t];
            posteriorVariance[t] = Math.max(v, MIN_VARIANCE);
        }
    }

    /** squaredcos_cap_v2 with {@code steps} training steps; the β math lives once, in step-models' BetaSchedule. */
    public static NoiseSchedule squaredcosCapV2(int steps) {
        return of(BetaSchedule.SQUAREDCOS_CAP_V2, steps, BetaSchedule.DEFAULT_BETA_START, BetaSchedule.DEFAULT_BETA_END);
    }

    /** Any supported β schedule; betaStart and betaEnd are read by the linear ones only. */
    public static NoiseSchedule of(BetaSchedule kind, int steps, double betaStart, double betaEnd) {
        return new NoiseSchedule(kind.betas(steps, betaStart, betaEnd));
    }

    /** The schedule Diffusion Policy is configured with: squaredcos_cap_v2, 100 steps. */
    public static NoiseSchedule diffusionPolicy() {
        return squaredcosCapV2(DP_STEPS);
    }

    public int steps() { return betas.length; }

    public float beta(int t) { return betas[t]; }

    public float alpha(int t) { return alphas[t]; }

    /** ᾱ_t; t &lt; 0 stands for the clean sample after the last step (ᾱ = 1, diffusers' set_alpha_to_one). */
    public float alphaCumprod(int t) { return t < 0 ? 1f : alphasCumprod[t]; }

    /** fixed_small variance of the single step t → t−1, clamped at 1e-20 (§B.3). */
    public float posteriorVariance(int t) { return posteriorVariance[t]; }

    /** Validates a descending list of timesteps inside the chain; the solvers step from each to the next, then to clean. */
    void checkTimesteps(int[] timesteps) {
        if (timesteps.length == 0) throw new IllegalArgumentException("no timesteps");
        for (int i = 0; i < timesteps.length; i++) {
            int t = timesteps[i];
            if (t < 0 || t >= steps()) throw new IllegalArgumentException("timestep " + t + " outside [0, " + steps() + ")");
            if (i > 0 && t >= timesteps[i - 1]) throw new IllegalArgumentException("timesteps must descend: " + java.util.Arrays.toString(timesteps));
        }
    }
}
