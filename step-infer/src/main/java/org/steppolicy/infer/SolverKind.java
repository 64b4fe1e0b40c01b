package org.steppolicy.infer;

import java.util.Locale;

/** The named solvers; each knows its own cold-start timestep spacing (§B.3, §B.5). */
public enum SolverKind {
    DDPM, DDIM, DPMSOLVER;

    /** Builds a solver with its own buffers over the schedule, for an ε-prediction model. */
    public Solver create(NoiseSchedule schedule, boolean clipSample) {
        return create(schedule, clipSample, PredictionType.EPSILON);
    }

    public Solver create(NoiseSchedule schedule, boolean clipSample, PredictionType prediction) {
        return switch (this) {
            case DDPM -> new DdpmSolver(schedule, clipSample, prediction);
            case DDIM -> new DdimSolver(schedule, clipSample, prediction);
            case DPMSOLVER -> new DpmSolverPlusPlus(schedule, clipSample, prediction);
        };
    }

    /** This solver's timesteps for {@code steps} steps from pure noise on a {@code trainSteps}-step schedule. */
    public int[] timesteps(int trainSteps, int steps) {
        return this == DPMSOLVER ? linspaceTimesteps(trainSteps, steps) : stridedTimesteps(trainSteps, steps);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SolverKind parse(String s) {
        for (SolverKind k : values()) if (k.label().equals(s.toLowerCase(Locale.ROOT))) return k;
        throw new IllegalArgumentException("unknown solver '" + s + "' (expected ddpm, ddim or dpmsolver)");
    }

    /** diffusers' DDIM (and DP's DDPM at 100 steps) spacing: r = T // k, (arange(k)·r)[::-1] (§B.3). */
    public static int[] stridedTimesteps(int trainSteps, int steps) {
        checkSteps(trainSteps, steps);
        int r = trainSteps / steps;
        int[] ts = new int[steps];
        for (int i = 0; i < steps; i++) ts[i] = (steps - 1 - i) * r;
        return ts;
    }

    /**
     * DPM-Solver++'s "linspace" spacing: round(linspace(0, T−1, k+1))[::-1][:-1], numpy's round-half-even (§B.5).
     * Repeated timesteps (k close to T, e.g. 50 twice for k = 100) are dropped as diffusers' np.unique does, so the
     * list can be shorter than k.
     */
    public static int[] linspaceTimesteps(int trainSteps, int steps) {
        checkSteps(trainSteps, steps);
        double step = (trainSteps - 1) / (double) steps; // numpy: arange(num) * (delta / div), last one set to stop
        int[] ts = new int[steps];
        for (int i = 0; i < steps; i++) {
            int j = steps - i; // index into linspace(0, T−1, k+1), reversed, dropping the final 0
            ts[i] = j == steps ? trainSteps - 1 : (int) Math.rint(j * step);
        }
        return java.util.Arrays.stream(ts).distinct().toArray();
    }

    /** Single steps start−1, …, 0: the "fine" reading of K' (docs/reference/step-method.md). */
    public static int[] singleStepTimesteps(int trainSteps, int start) {
        checkSteps(trainSteps, start);
        int[] ts = new int[start];
        for (int i = 0; i < start; i++) ts[i] = start - 1 - i;
        return ts;
    }

    private static void checkSteps(int trainSteps, int steps) {
        if (steps < 1 || steps > trainSteps)
            throw new IllegalArgumentException("steps must be in [1, " + trainSteps + "], got " + steps);
    }
}
