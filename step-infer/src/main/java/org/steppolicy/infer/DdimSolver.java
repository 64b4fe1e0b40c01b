package org.steppolicy.infer;

/**
 * Deterministic DDIM (η = 0) with x̂0 clipped to [−1, 1] (when clip_sample) and the raw ε̂ as the direction, diffusers
 * v0.11.1 (§B.3) in float32; the step after the last timestep lands on ᾱ = 1 (set_alpha_to_one). A sample-prediction
 * model's x̂0 is its output, and its ε̂ is derived from it, as later diffusers do.
 */
public final class DdimSolver implements Solver {
    private final NoiseSchedule schedule;
    private final boolean clipSample;
    private final PredictionType prediction;
    private final SolverBuffers buf = new SolverBuffers();

    /** An ε-prediction model's solver. */
    public DdimSolver(NoiseSchedule schedule, boolean clipSample) {
        this(schedule, clipSample, PredictionType.EPSILON);
    }

    public DdimSolver(NoiseSchedule schedule, boolean clipSample, PredictionType prediction) {
        this.schedule = schedule;
        this.clipSample = clipSample;
        this.prediction = prediction;
    }

    @Override
    public SolverKind kind() { return SolverKind.DDIM; }

    @Override
    public int[] timesteps(int steps) {
        return kind().timesteps(schedule.steps(), steps);
    }

    @Override
    public void run(Denoiser d, int[] timesteps, float[] x, float[] cond, int batch, GaussianNoise noise,
                    SampleConstraint constraint) {
        schedule.checkTimesteps(timesteps);
        int n = SolverBuffers.sampleSize(d, x, batch);
        buf.ensure(n, batch, false);
        float[] out = buf.eps;
        boolean epsilon = prediction == PredictionType.EPSILON;
        for (int i = 0; i < timesteps.length; i++) {
            int t = timesteps[i];
            int prev = i + 1 < timesteps.length ? timesteps[i + 1] : -1;
            buf.predict(d, x, t, cond, batch, constraint);
            float acpT = schedule.alphaCumprod(t);
            float acpPrev = schedule.alphaCumprod(prev);
            float sqrtBetaProdT = (float) Math.sqrt(1f - acpT);
            float sqrtAcpT = (float) Math.sqrt(acpT);
            float sqrtAcpPrev = (float) Math.sqrt(acpPrev);
            float dir = (float) Math.sqrt(1f - acpPrev);
            for (int j = 0; j < n; j++) {
                float x0 = epsilon ? (x[j] - sqrtBetaProdT * out[j]) / sqrtAcpT : out[j];
                // The direction uses the unclipped model's ε (use_clipped_model_output=False), derived for x0-models.
                float eps = epsilon ? out[j] : (x[j] - sqrtAcpT * x0) / sqrtBetaProdT;
                x[j] = sqrtAcpPrev * SolverBuffers.clip(x0, clipSample) + dir * eps;
            }
        }
        constraint.apply(x);
    }
}
