package org.steppolicy.infer;

import java.util.Locale;

/** The compared methods (docs/reference/step-method.md, "Baselines"), all over the same trained DP. */
public enum Method {
    DDPM(Start.NOISE), DDIM(Start.NOISE), DPMSOLVER(Start.NOISE),
    /** Spatiotemporal predictor warm start with velocity-aware perturbation. */
    STEP(Start.PREDICTOR),
    /** BRIDGER-style: obs-only predictor warm start. */
    SPATIAL(Start.PREDICTOR),
    /** Falcon-style: the previous chunk shifted by Ta, edge-padded, as the start (Falcon itself is {@link #FALCON}). */
    TEMPORAL(Start.PREVIOUS_CHUNK),
    /** The predictor's chunk executed as is, no diffusion. */
    PREDICTOR(Start.PREDICTOR_ONLY),
    /**
     * Falcon (arXiv 2503.00339): a partially denoised latent of the previous call, chosen by its agreement with the
     * previous chunk under the current observation, or noise (docs/falcon.md).
     */
    FALCON(Start.PARTIAL_LATENT),
    /**
     * BRIDGeR (arXiv 2402.16075), its own trained policy: K steps of its bridge from the source policy's sample to an
     * action chunk (docs/bridger.md). Uses no DP.
     */
    BRIDGER(Start.SOURCE_POLICY);

    /** Where the reverse chain starts. */
    public enum Start { NOISE, PREDICTOR, PREVIOUS_CHUNK, PREDICTOR_ONLY, PARTIAL_LATENT, SOURCE_POLICY }

    private final Start start;

    Method(Start start) { this.start = start; }

    public Start start() { return start; }

    public boolean usesPredictor() { return start == Start.PREDICTOR || start == Start.PREDICTOR_ONLY; }

    /** The kind of BRIDGeR's model among the models loaded beside a DP (a trained policy's "predictor kinds"). */
    public static final String BRIDGER_KIND = "bridger";

    /**
     * The model kind this method reads beside the DP ("step": spatiotemporal predictor, "spatial": obs-only predictor,
     * "bridger": a BRIDGeR model), or null for none.
     */
    public String predictorKind() {
        return switch (this) {
            case STEP, PREDICTOR -> "step";
            case SPATIAL -> "spatial";
            case BRIDGER -> BRIDGER_KIND;
            default -> null;
        };
    }

    /** The solver of a diffusion-only method. */
    SolverKind ownSolver() {
        return switch (this) {
            case DDPM -> SolverKind.DDPM;
            case DDIM -> SolverKind.DDIM;
            case DPMSOLVER -> SolverKind.DPMSOLVER;
            default -> throw new IllegalStateException(this + " has no solver of its own");
        };
    }

    public String label() { return name().toLowerCase(Locale.ROOT); }

    public static Method parse(String s) {
        for (Method m : values()) if (m.label().equals(s.toLowerCase(Locale.ROOT))) return m;
        throw new IllegalArgumentException("unknown method '" + s
                + "' (expected ddpm, ddim, dpmsolver, step, spatial, temporal, falcon, bridger or predictor)");
    }
}
