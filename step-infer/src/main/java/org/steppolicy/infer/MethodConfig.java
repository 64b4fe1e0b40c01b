package org.steppolicy.infer;

/**
 * One fully resolved method: what a {@link PolicyRunner} runs.
 *
 * @param label        the spec as the user wrote it, e.g. "step:2" (the results' method name)
 * @param steps        solver steps (0 for the predictor alone)
 * @param solver       the solver of the reverse chain (unused by the predictor alone)
 * @param perturbation used when enabled (on by default for STEP only)
 * @param clipSample   clip x̂0 to [−1, 1]; null: as the model's scheduler says (its checkpoint's clip_sample)
 */
public record MethodConfig(String label, Method method, int steps, SolverKind solver, WarmStartConfig warmStart,
                           PerturbationConfig perturbation, ColdStartConfig coldStart, Boolean clipSample) {
    public MethodConfig {
        if (method != Method.PREDICTOR && steps < 1)
            throw new IllegalArgumentException("method " + label + " needs at least one step");
    }

    /** Timesteps of this method's own chain: from noise for ddpm/ddim/dpmsolver, the warm-start list otherwise. */
    public int[] timesteps(NoiseSchedule schedule) {
        return switch (method.start()) {
            case NOISE -> solver.timesteps(schedule.steps(), steps);
            case PREDICTOR, PREVIOUS_CHUNK -> warmStart.timesteps(schedule, steps);
            case PREDICTOR_ONLY -> new int[0];
        };
    }
}
