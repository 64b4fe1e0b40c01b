package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * One fully resolved method: what a {@link ChunkPlanner} runs.
 *
 * @param label        the spec as the user wrote it, e.g. "step:2" (the results' method name)
 * @param steps        solver steps, the network calls of one call's chain (for the warm-started methods K', as the
 *                     spec wrote it; 0 for the predictor alone)
 * @param solver       the solver of the reverse chain (unused by the predictor alone)
 * @param perturbation used when enabled (on by default for STEP only)
 * @param clipSample   clip x̂0 to [−1, 1]; null: as the model's scheduler says (its checkpoint's clip_sample)
 * @param falcon       falcon:K's selection rule (read by that method only; its solver is {@code solver} here)
 * @param bridger      bridger:K's update rule and time grid (read by that method only)
 */
public record MethodConfig(String label, Method method, int steps, SolverKind solver, WarmStartConfig warmStart,
                           PerturbationConfig perturbation, ColdStartConfig coldStart, Boolean clipSample,
                           FalconConfig falcon, BridgerSampler.Settings bridger) {
    public MethodConfig {
        if (method != Method.PREDICTOR && steps < 1)
            throw new IllegalArgumentException("method " + label + " needs at least one step");
        if (falcon == null) falcon = FalconConfig.defaults();
        if (bridger == null) bridger = BridgerSampler.Settings.defaults();
        if (method == Method.FALCON) {
            FalconConfig.checkSolver(solver);
            if (!falcon.solver().equals(solver)) falcon = falcon.withSolver(solver);
        }
    }

    public MethodConfig(String label, Method method, int steps, SolverKind solver, WarmStartConfig warmStart,
                        PerturbationConfig perturbation, ColdStartConfig coldStart, Boolean clipSample, FalconConfig falcon) {
        this(label, method, steps, solver, warmStart, perturbation, coldStart, clipSample, falcon, null);
    }

    public MethodConfig(String label, Method method, int steps, SolverKind solver, WarmStartConfig warmStart,
                        PerturbationConfig perturbation, ColdStartConfig coldStart, Boolean clipSample) {
        this(label, method, steps, solver, warmStart, perturbation, coldStart, clipSample, FalconConfig.defaults());
    }

    /**
     * Timesteps of this method's own chain: from noise for ddpm/ddim/dpmsolver, the host solver's grid for falcon (a
     * reused latent enters it part way), the warm-start list otherwise.
     */
    public int[] timesteps(DiffusionSchedule schedule) {
        int[] ts = switch (method.start()) {
            case NOISE, PARTIAL_LATENT -> solver.timesteps(schedule.steps(), steps);
            case PREDICTOR, PREVIOUS_CHUNK -> warmStart.timesteps(schedule, steps);
            case PREDICTOR_ONLY, SOURCE_POLICY -> new int[0];   // bridger:K runs no diffusion timesteps
        };
        // The label's step count is the number of network calls of a call's chain (falcon: at most that many).
        // (StepPolicy puts "method LABEL: " in front of the message.)
        if (ts.length > 0 && ts.length != steps)
            throw new IllegalArgumentException("on a " + schedule.steps() + "-step schedule its chain would make "
                    + ts.length + " network calls, not the " + steps + " its label says");
        return ts;
    }
}
