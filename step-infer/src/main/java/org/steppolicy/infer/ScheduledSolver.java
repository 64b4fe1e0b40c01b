package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * The loop every solver shares: validate the timesteps, then for each one apply the constraint, ask the denoiser, and
 * let the subclass update x towards the next timestep (the clean sample after the last); the constraint is applied once
 * more at the end. Subclasses differ only in {@link #update}.
 */
abstract class ScheduledSolver implements Solver {
    private final SolverKind kind;
    protected final DiffusionSchedule schedule;
    protected final boolean clipSample;
    protected final PredictionType prediction;
    protected final SolverBuffers buf = new SolverBuffers();

    ScheduledSolver(SolverKind kind, DiffusionSchedule schedule, boolean clipSample, PredictionType prediction) {
        this.kind = kind;
        this.schedule = schedule;
        this.clipSample = clipSample;
        this.prediction = prediction;
    }

    @Override
    public SolverKind kind() {
        return kind;
    }

    @Override
    public int[] timesteps(int steps) {
        return kind().timesteps(schedule.steps(), steps);
    }

    /** Whether {@link #update} reads buf.x0/x0Prev (the multistep history). */
    boolean needsDataHistory() { return false; }

    @Override
    public final void run(Denoiser d, int[] timesteps, float[] x, float[] cond, int batch, GaussianNoise noise,
                          SampleConstraint constraint) {
        run(d, timesteps, x, cond, batch, noise, constraint, null, null);
    }

    @Override
    public final void run(Denoiser d, int[] timesteps, float[] x, float[] cond, int batch, GaussianNoise noise,
                          SampleConstraint constraint, float[] firstOutput, LatentRecorder recorder) {
        schedule.checkTimesteps(timesteps);
        int n = SolverBuffers.sampleSize(d, x, batch);
        buf.ensure(n, batch, needsDataHistory());
        if (firstOutput != null && firstOutput.length < n)
            throw new IllegalArgumentException("first output holds " + firstOutput.length + " floats, need " + n);
        for (int i = 0; i < timesteps.length; i++) {
            int prev = i + 1 < timesteps.length ? timesteps[i + 1] : -1;
            if (i == 0 && firstOutput != null) {
                constraint.apply(x);
                System.arraycopy(firstOutput, 0, buf.eps, 0, n);
            } else {
                buf.predict(d, x, timesteps[i], cond, batch, constraint);
            }
            if (recorder != null) recorder.record(i, timesteps[i], x);
            update(timesteps, i, prev, x, buf.eps, n, noise);
        }
        constraint.apply(x);
    }

    /**
     * One step from timesteps[i] to prev (−1: the clean sample).
     *
     * @param out the model's output at timesteps[i]: ε̂ or x̂0 by {@link #prediction}
     */
    abstract void update(int[] timesteps, int i, int prev, float[] x, float[] out, int n, GaussianNoise noise);

    boolean epsilon() { return prediction == PredictionType.EPSILON; }
}
