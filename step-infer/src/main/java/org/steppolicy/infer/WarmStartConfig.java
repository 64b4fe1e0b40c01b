package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * How a warm start is formed.
 *
 * @param mode      strided (public code) or fine (paper)
 * @param startStep fine mode's K'; 0 means "the method's step count"
 * @param sigma     scale of the estimate Â when not stalled (paper: 1)
 * @param sigmaT    noise added to the estimate when not stalled (paper: 0)
 * @param entryStep strided mode's entry timestep τ (a method spec's {@code tN} option): the chain runs τ, then the
 *                  last steps − 1 strided timesteps below τ (so {@code step:2:t30} runs 30, 0 and {@code step:4:t60}
 *                  60, 50, 25, 0); −1: the strided list as it is
 *                  ({@code step:2} enters at 50)
 */
public record WarmStartConfig(WarmStartMode mode, int startStep, double sigma, double sigmaT, int entryStep) {
    public WarmStartConfig {
        if (startStep < 0) throw new IllegalArgumentException("warm-start start step must be >= 0, got " + startStep);
        if (sigmaT < 0) throw new IllegalArgumentException("warm-start sigma_t must be >= 0, got " + sigmaT);
        if (entryStep < -1) throw new IllegalArgumentException("warm-start entry timestep must be >= 0, got " + entryStep);
        if (entryStep >= 0 && mode != WarmStartMode.STRIDED)
            throw new IllegalArgumentException("an entry timestep (tN) applies to the strided warm start only");
    }

    public WarmStartConfig(WarmStartMode mode, int startStep, double sigma, double sigmaT) {
        this(mode, startStep, sigma, sigmaT, -1);
    }

    public static WarmStartConfig defaults() {
        return new WarmStartConfig(WarmStartMode.STRIDED, 0, 1.0, 0.0);
    }

    public WarmStartConfig withMode(WarmStartMode m) { return new WarmStartConfig(m, startStep, sigma, sigmaT, entryStep); }

    public WarmStartConfig withEntryStep(int t) { return new WarmStartConfig(mode, startStep, sigma, sigmaT, t); }

    /** The descending timesteps a warm-started chain runs over for a method with {@code steps} steps. */
    public int[] timesteps(DiffusionSchedule schedule, int steps) {
        return switch (mode) {
            case STRIDED -> entryStep < 0 ? SolverKind.stridedTimesteps(schedule.steps(), steps) : entered(schedule.steps(), steps);
            case FINE -> SolverKind.singleStepTimesteps(schedule.steps(), startStep > 0 ? startStep : steps);
        };
    }

    /** τ, then the last {@code steps} − 1 strided timesteps of a {@code steps}-step chain that lie below τ. */
    private int[] entered(int trainSteps, int steps) {
        if (entryStep >= trainSteps)
            throw new IllegalArgumentException("entry timestep " + entryStep + " is outside [0, " + (trainSteps - 1) + "]");
        int[] below = java.util.Arrays.stream(SolverKind.stridedTimesteps(trainSteps, steps)).filter(t -> t < entryStep).toArray();
        int keep = Math.min(below.length, steps - 1);
        int[] out = new int[keep + 1];
        out[0] = entryStep;
        System.arraycopy(below, below.length - keep, out, 1, keep);
        return out;
    }
}
