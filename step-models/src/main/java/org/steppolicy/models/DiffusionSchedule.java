package org.steppolicy.models;

/**
 * The DDPM noise schedule Diffusion Policy trains with: squaredcos_cap_v2 over T discrete steps
 * (docs/reference/diffusion-policy.md §B.3, diffusers v0.11.1). β is computed in double and cast to float32; ᾱ is the sequential
 * float32 cumulative product, so the table equals the reference's torch.float32 values bit for bit.
 * Shared by training (forward noising) and inference (the solvers) so both read one table.
 */
public final class DiffusionSchedule {
    /** Diffusion Policy's configured step count (§B.3). */
    public static final int DP_TRAIN_STEPS = 100;
    /** diffusers caps β at this value (§B.3). */
    private static final double MAX_BETA = 0.999;

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
        if (steps < 1) throw new IllegalArgumentException("diffusion steps must be >= 1, got " + steps);
        float[] betas = new float[steps];
        for (int i = 0; i < steps; i++) {
            double b = 1.0 - alphaBar((i + 1) / (double) steps) / alphaBar(i / (double) steps);
            betas[i] = (float) Math.min(b, MAX_BETA);
        }
        return new DiffusionSchedule(betas);
    }

    /** The schedule Diffusion Policy is configured with: squaredcos_cap_v2, 100 steps. */
    public static DiffusionSchedule diffusionPolicy() {
        return squaredcosCapV2(DP_TRAIN_STEPS);
    }

    private static double alphaBar(double s) {
        double c = Math.cos((s + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    public int steps() { return betas.length; }
    public float beta(int t) { return betas[t]; }
    public float alpha(int t) { return alphas[t]; }
    public float alphaCumprod(int t) { return alphasCumprod[t]; }
    public float[] alphasCumprod() { return alphasCumprod.clone(); }
    public float[] betas() { return betas.clone(); }
}
