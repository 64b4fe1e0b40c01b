package org.steppolicy.models;

import java.util.Arrays;

/**
 * A DDPM noise schedule over T discrete steps, by default Diffusion Policy's squaredcos_cap_v2
 * (docs/reference/diffusion-policy.md §B.3, diffusers v0.11.1); the β math of every {@link BetaSchedule} lives there.
 * α = 1 − β, the sequential cumulative product ᾱ and the fixed_small posterior variance are float32, so every row of
 * the cosine table equals the reference's torch.float32 values bit for bit.
 * The one schedule table: training noises with it and the solvers step on it.
 */
public final class DiffusionSchedule {
    /** Diffusion Policy trains and samples with 100 steps (§B.3). */
    public static final int DP_TRAIN_STEPS = 100;
    /** diffusers clamps the fixed_small variance from below (§B.3). */
    private static final float MIN_VARIANCE = 1e-20f;

    private final float[] betas;
    private final float[] alphas;
    private final float[] alphasCumprod;
    private final float[] posteriorVariance;

    private DiffusionSchedule(float[] betas) {
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

    /** squaredcos_cap_v2 with {@code steps} training steps. */
    public static DiffusionSchedule squaredcosCapV2(int steps) {
        return of(BetaSchedule.SQUAREDCOS_CAP_V2, steps, BetaSchedule.DEFAULT_BETA_START, BetaSchedule.DEFAULT_BETA_END);
    }

    /** Any supported β schedule; betaStart and betaEnd are read by the linear ones only. */
    public static DiffusionSchedule of(BetaSchedule kind, int steps, double betaStart, double betaEnd) {
        return new DiffusionSchedule(kind.betas(steps, betaStart, betaEnd));
    }

    /** The schedule Diffusion Policy is configured with: squaredcos_cap_v2, 100 steps. */
    public static DiffusionSchedule diffusionPolicy() {
        return squaredcosCapV2(DP_TRAIN_STEPS);
    }

    public int steps() { return betas.length; }

    public float beta(int t) { return betas[t]; }

    public float alpha(int t) { return alphas[t]; }

    /** ᾱ_t; t &lt; 0 stands for the clean sample after the last step (ᾱ = 1, diffusers' set_alpha_to_one). */
    public float alphaCumprod(int t) { return t < 0 ? 1f : alphasCumprod[t]; }

    /** fixed_small variance of the single step t → t−1, clamped at 1e-20 (§B.3). */
    public float posteriorVariance(int t) { return posteriorVariance[t]; }

    public float[] alphasCumprod() { return alphasCumprod.clone(); }

    public float[] betas() { return betas.clone(); }

    /** Validates a descending list of timesteps inside the chain; the solvers step from each to the next, then to clean. */
    public void checkTimesteps(int[] timesteps) {
        if (timesteps.length == 0) throw new IllegalArgumentException("no timesteps");
        for (int i = 0; i < timesteps.length; i++) {
            int t = timesteps[i];
            if (t < 0 || t >= steps()) throw new IllegalArgumentException("timestep " + t + " outside [0, " + steps() + ")");
            if (i > 0 && t >= timesteps[i - 1]) throw new IllegalArgumentException("timesteps must descend: " + Arrays.toString(timesteps));
        }
    }
}
