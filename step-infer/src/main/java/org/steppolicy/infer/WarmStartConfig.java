package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * How a warm start is formed.
 *
 * @param mode      strided (public code) or fine (paper)
 * @param startStep fine mode's K'; 0 means "the method's step count"
 * @param sigma     scale of the estimate Â when not stalled (paper: 1)
 * @param sigmaT    noise added to the estimate when not stalled (paper: 0)
 */
public record WarmStartConfig(WarmStartMode mode, int startStep, double sigma, double sigmaT) {
    public WarmStartConfig {
        if (startStep < 0) throw new IllegalArgumentException("warm-start start step must be >= 0, got " + startStep);
        if (sigmaT < 0) throw new IllegalArgumentException("warm-start sigma_t must be >= 0, got " + sigmaT);
    }

    public static WarmStartConfig defaults() {
        return new WarmStartConfig(WarmStartMode.STRIDED, 0, 1.0, 0.0);
    }

    public WarmStartConfig withMode(WarmStartMode m) { return new WarmStartConfig(m, startStep, sigma, sigmaT); }

    /** The descending timesteps a warm-started chain runs over for a method with {@code steps} steps. */
    public int[] timesteps(DiffusionSchedule schedule, int steps) {
        return switch (mode) {
            case STRIDED -> SolverKind.stridedTimesteps(schedule.steps(), steps);
            case FINE -> SolverKind.singleStepTimesteps(schedule.steps(), startStep > 0 ? startStep : steps);
        };
    }
}
