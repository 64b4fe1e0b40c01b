package org.steppolicy.infer;

/**
 * Full diffusion from pure noise, used on the first call after a reset when a method needs the action cache.
 *
 * @param steps solver steps; 0 means the whole chain, the model's num_train_timesteps
 */
public record ColdStartConfig(SolverKind solver, int steps) {
    public ColdStartConfig {
        if (steps < 0) throw new IllegalArgumentException("cold-start steps must be >= 0 (0: the whole chain), got " + steps);
    }

    /** The paper's cold start: the full DDPM chain (100 steps for Diffusion Policy's schedule). */
    public static ColdStartConfig defaults() {
        return new ColdStartConfig(SolverKind.DDPM, 0);
    }

    /** The steps on a schedule of {@code trainSteps} steps. */
    public int steps(int trainSteps) {
        if (steps > trainSteps)
            throw new IllegalArgumentException("cold-start steps " + steps + " exceed the model's " + trainSteps + " diffusion steps");
        return steps == 0 ? trainSteps : steps;
    }
}
