package org.steppolicy.models;

/**
 * A DDPM noise schedule over T discrete steps, by default Diffusion Policy's squaredcos_cap_v2
 * (docs/reference/diffusion-policy.md §B.3, diffusers v0.11.1); the β math of every {@link BetaSchedule} lives there.
 * ᾱ is the sequential float32 cumulative product, so the cosine table equals the reference's torch.float32 values bit for bit.
 * Shared by training (forward noising) and inference (the solvers) so both read one table.
 */
public final class DiffusionSchedule {
    /** Diffusion Policy's configured step count (§B.3). */
    public static final int DP_TRAIN_STEPS = 100;

    private final float[] betas;
    private final float[] alphas;
    private final float[] alphasCumprod;

    private DiffusionSchedule(float[] betas) {
        this.betas = betas;
        this.alphas = new float[betas.length];
        this.alphasCumprod = new float[betas.length];
        float prod = 1f;
        for (int i = 0; i < betas.length; i++) {
            alphas[i] = 1f - betas[i];
            prod *= alphas[i];
            alphasCumprod[i] = prod;
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
    public float alphaCumprod(int t) { return alphasCumprod[t]; }
    public float[] alphasCumprod() { return alphasCumprod.clone(); }
    public float[] betas() { return betas.clone(); }
}
