package org.steppolicy.infer;

import java.util.Locale;

/**
 * What the denoiser outputs (diffusers' {@code prediction_type}): the noise ε (Diffusion Policy's choice, §B.3) or
 * the clean sample x̂0 itself. v-prediction is not supported.
 */
public enum PredictionType {
    EPSILON("epsilon"), SAMPLE("sample");

    private final String id;

    PredictionType(String id) { this.id = id; }

    public String id() { return id; }

    public static PredictionType parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        for (PredictionType p : values()) if (p.id.equals(k)) return p;
        throw new IllegalArgumentException("unsupported prediction_type '" + s + "' (supported: epsilon, sample)");
    }
}
