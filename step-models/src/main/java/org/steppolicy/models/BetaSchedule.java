package org.steppolicy.models;

import java.util.Locale;

/**
 * The β schedules of diffusers' DDPM/DDIM schedulers that Diffusion Policy configs name in {@code beta_schedule}
 * (docs/reference/diffusion-policy.md §B.3). β_start and β_end matter to the linear ones only; squaredcos_cap_v2
 * ignores them.
 */
public enum BetaSchedule {
    /** Diffusion Policy's default: β_i = min(1 − ᾱ((i+1)/T)/ᾱ(i/T), 0.999), ᾱ(s) = cos²((s+0.008)/1.008·π/2). */
    SQUAREDCOS_CAP_V2("squaredcos_cap_v2"),
    /** torch.linspace(β_start, β_end, T) in float32. */
    LINEAR("linear"),
    /** torch.linspace(√β_start, √β_end, T)² in float32 (latent-diffusion's schedule). */
    SCALED_LINEAR("scaled_linear");

    /** diffusers' defaults for β_start and β_end, which Diffusion Policy's configs keep. */
    public static final double DEFAULT_BETA_START = 1e-4, DEFAULT_BETA_END = 0.02;
    /** diffusers caps the cosine schedule's β at this value (§B.3). */
    private static final double MAX_BETA = 0.999;

    private final String id;

    BetaSchedule(String id) { this.id = id; }

    /** The name as configs write it, e.g. "squaredcos_cap_v2". */
    public String id() { return id; }

    public static BetaSchedule parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (BetaSchedule b : values()) if (b.id.equals(k)) return b;
        throw new IllegalArgumentException("unsupported beta_schedule '" + s + "' (supported: squaredcos_cap_v2, linear, scaled_linear)");
    }

    /** β_0 … β_{T−1} as float32, computed as diffusers v0.11.1 does. */
    public float[] betas(int steps, double betaStart, double betaEnd) {
        if (steps < 1) throw new IllegalArgumentException("diffusion steps must be >= 1, got " + steps);
        float[] betas = switch (this) {
            case SQUAREDCOS_CAP_V2 -> squaredcos(steps);
            case LINEAR -> linspace((float) betaStart, (float) betaEnd, steps);
            case SCALED_LINEAR -> {
                float[] b = linspace((float) Math.sqrt(betaStart), (float) Math.sqrt(betaEnd), steps);
                for (int i = 0; i < steps; i++) b[i] = b[i] * b[i];
                yield b;
            }
        };
        // A β outside (0, 1) makes ᾱ zero, negative or one, and every solver divides by √ᾱ or √(1−ᾱ).
        for (float b : betas)
            if (!(b > 0f && b < 1f))
                throw new IllegalArgumentException(id + " with beta_start " + betaStart + ", beta_end " + betaEnd
                        + " gives a beta outside (0, 1)");
        return betas;
    }

    private static float[] squaredcos(int steps) {
        float[] betas = new float[steps];
        for (int i = 0; i < steps; i++) {
            double b = 1.0 - alphaBar((i + 1) / (double) steps) / alphaBar(i / (double) steps);
            betas[i] = (float) Math.min(b, MAX_BETA); // python double, then cast to float32
        }
        return betas;
    }

    private static double alphaBar(double s) {
        double c = Math.cos((s + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** torch.linspace in float32 on the CPU: the first half counts up from start, the second down from end. */
    private static float[] linspace(float start, float end, int steps) {
        float[] v = new float[steps];
        if (steps == 1) {
            v[0] = start;
            return v;
        }
        float step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) v[i] = i < halfway ? start + step * i : end - step * (steps - i - 1);
        return v;
    }
}
