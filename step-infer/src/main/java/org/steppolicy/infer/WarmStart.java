package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * Turns an estimate of the clean trajectory into the first sample of the reverse chain. First the perturbation:
 * P = σ·Â + σ_t·ε₁ (Eq. 14; (σ, σ_t) = (1, 0) leaves Â as is). Then per mode:
 * fine: x = P, the sample at timestep K'−1; strided: x = √ᾱ_τ·P + √(1−ᾱ_τ)·ε₂ with τ the first timestep (q_sample).
 */
public final class WarmStart {
    private final DiffusionSchedule schedule;
    private final WarmStartConfig config;

    public WarmStart(DiffusionSchedule schedule, WarmStartConfig config) {
        this.schedule = schedule;
        this.config = config;
    }

    public WarmStartConfig config() { return config; }

    /**
     * @param estimate  Â over the whole trajectory, n floats
     * @param firstStep the chain's first timestep τ (strided mode)
     * @param x         receives the start sample
     */
    public void form(float[] estimate, int n, int firstStep, double sigma, double sigmaT, GaussianNoise noise, float[] x) {
        for (int j = 0; j < n; j++) {
            double p = sigma * estimate[j];
            if (sigmaT != 0) p += sigmaT * noise.next();
            x[j] = (float) p;
        }
        if (config.mode() == WarmStartMode.STRIDED) {
            double acp = schedule.alphaCumprod(firstStep);
            double a = Math.sqrt(acp), s = Math.sqrt(1.0 - acp);
            for (int j = 0; j < n; j++) x[j] = (float) (a * x[j] + s * noise.next());
        }
    }
}
