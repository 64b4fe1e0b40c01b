package org.steppolicy.infer;

import java.util.Locale;

/** The two readings of "warm start at K'" (docs/reference/step-method.md, "Where the public code differs"). */
public enum WarmStartMode {
    /** The public code: DDIM timesteps of k steps over the whole chain, q_sample at the first (k = 2 → τ = 50). */
    STRIDED,
    /** The paper: start at step K' of the 100-step chain with x = σ·Â + σ_t·ε, then K' single steps K'−1 … 0. */
    FINE;

    public String label() { return name().toLowerCase(Locale.ROOT); }

    public static WarmStartMode parse(String s) {
        for (WarmStartMode m : values()) if (m.label().equals(s.toLowerCase(Locale.ROOT))) return m;
        throw new IllegalArgumentException("unknown warm-start mode '" + s + "' (expected strided or fine)");
    }
}
