package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * How a warm start is formed.
 *
 * <p>K', the number of network calls of a warm-started chain, is not here: it is the method spec's step count
 * ({@code step:4:fine} starts at step 4 and makes 4 calls), passed to {@link #timesteps} and nowhere else.
 *
 * @param mode      strided (public code) or fine (paper)
 * @param sigma     scale of the estimate Â when not stalled (paper: 1)
 * @param sigmaT    noise added to the estimate when not stalled (paper: 0)
 * @param entryStep strided mode's entry timestep τ (a method spec's {@code tN} option): the chain runs τ, then the
 *                  last steps − 1 strided timesteps below τ (so {@code step:2:t30} runs 30, 0 and {@code step:4:t60}
 *                  60, 50, 25, 0); −1: the strided list as it is
 *                  ({@code step:2} enters at 50)
 */
public record WarmStartConfig(WarmStartMode mode, double sigma, double sigmaT, int entryStep) {
    public WarmStartConfig {
        if (sigmaT < 0) throw new IllegalArgumentException("warm-start sigma_t must be >= 0, got " + sigmaT);
        if (entryStep < -1) throw new IllegalArgumentException("warm-start entry timestep must be >= 0, got " + entryStep);
        if (entryStep >= 0 && mode != WarmStartMode.STRIDED)
            throw new IllegalArgumentException("an entry timestep (tN) applies to the strided warm start only");
    }

    public WarmStartConfig(WarmStartMode mode, double sigma, double sigmaT) {
        this(mode, sigma, sigmaT, -1);
    }

    public static WarmStartConfig defaults() {
        return new WarmStartConfig(WarmStartMode.STRIDED, 1.0, 0.0);
    }

    public WarmStartConfig withMode(WarmStartMode m) { return new WarmStartConfig(m, sigma, sigmaT, entryStep); }

    public WarmStartConfig withEntryStep(int t) { return new WarmStartConfig(mode, sigma, sigmaT, t); }

    /**
     * The descending timesteps a warm-started chain runs over for a method with {@code steps} steps: always
     * {@code steps} of them, one network call each (fine: steps−1, …, 0; strided: the DDIM list, or τ and the
     * strided timesteps below it).
     */
    public int[] timesteps(DiffusionSchedule schedule, int steps) {
        return switch (mode) {
            case STRIDED -> entryStep < 0 ? SolverKind.stridedTimesteps(schedule.steps(), steps) : entered(schedule.steps(), steps);
            case FINE -> SolverKind.singleStepTimesteps(schedule.steps(), steps);
        };
    }

    private int below(int trainSteps, int steps) {
        return (int) java.util.Arrays.stream(SolverKind.stridedTimesteps(trainSteps, steps)).filter(t -> t < entryStep).count();
    }

    /** τ, then the last {@code steps} − 1 strided timesteps of a {@code steps}-step chain that lie below τ. */
    private int[] entered(int trainSteps, int steps) {
        if (entryStep >= trainSteps)
            throw new IllegalArgumentException("entry timestep " + entryStep + " is outside [0, " + (trainSteps - 1) + "]");
        int[] below = java.util.Arrays.stream(SolverKind.stridedTimesteps(trainSteps, steps)).filter(t -> t < entryStep).toArray();
        if (below.length < steps - 1) {
            int most = 1;
            for (int k = 2; k <= steps; k++) if (below(trainSteps, k) >= k - 1) most = k;
            throw new IllegalArgumentException("entering at t" + entryStep + ", a " + steps + "-step chain has only "
                    + below.length + " strided timestep(s) below it, so it would make " + (below.length + 1)
                    + " network calls, not the " + steps + " its label says; at most " + most + " steps enter at t" + entryStep);
        }
        int keep = steps - 1;
        int[] out = new int[keep + 1];
        out[0] = entryStep;
        System.arraycopy(below, below.length - keep, out, 1, keep);
        return out;
    }
}
