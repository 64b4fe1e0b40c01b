package org.steppolicy.infer;

/** Full diffusion from pure noise, used on the first call after a reset when a method needs the action cache. */
public record ColdStartConfig(SolverKind solver, int steps) {
    public ColdStartConfig {
        if (steps < 1) throw new IllegalArgumentException("cold-start steps must be >= 1, got " + steps);
    }

    /** The paper's cold start: the full 100-step DDPM chain. */
    public static ColdStartConfig defaults() {
        return new ColdStartConfig(SolverKind.DDPM, NoiseSchedule.DP_STEPS);
    }
}
