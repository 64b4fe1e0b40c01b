package org.steppolicy.infer;

/**
 * Velocity-aware perturbation (docs/reference/step-method.md item 4, Eq. 14): when the last two chunks barely differ (L2 norm of
 * their difference over the whole normalised chunk below epsA) the robot is taken to be stalled and the warm start
 * uses (σ, σ_t) = (sigmaScale, sigmaStall) instead of the normal pair.
 */
public record PerturbationConfig(boolean enabled, double epsA, double sigmaScale, double sigmaStall) {
    /** ε_a from the paper. */
    public static final double PAPER_EPS_A = 0.01;
    /** σ_stall in simulation from the paper (1.0–1.4 on real robots). */
    public static final double PAPER_SIGMA_STALL = 0.1;

    public PerturbationConfig {
        if (epsA < 0 || sigmaStall < 0) throw new IllegalArgumentException("perturbation eps_a and sigma_stall must be >= 0");
    }

    /** The paper's simulation setting; σ_scale = 1 is this project's default (the paper leaves it open). */
    public static PerturbationConfig paper() {
        return new PerturbationConfig(true, PAPER_EPS_A, 1.0, PAPER_SIGMA_STALL);
    }

    public PerturbationConfig withEnabled(boolean on) { return new PerturbationConfig(on, epsA, sigmaScale, sigmaStall); }
}
