package org.steppolicy.infer;

/**
 * Deterministic DDIM (η = 0) with x̂0 clipped to [−1, 1] and the raw ε̂ as the direction, diffusers v0.11.1 (§B.3)
 * in float32; the step after the last timestep lands on ᾱ = 1 (set_alpha_to_one).
 */
public final class DdimSolver implements Solver {
    private final NoiseSchedule schedule;
    private final boolean clipSample;
    private final SolverBuffers buf = new SolverBuffers();

    public DdimSolver(NoiseSchedule schedule, boolean clipSample) {
        this.schedule = schedule;
        this.clipSample = clipSample;
    }

    @Override
    public SolverKind kind() { return SolverKind.DDIM; }

    @Override
    public int[] timesteps(int steps) {
        return SolverKind.stridedTimesteps(schedule.steps(), steps);
    }

    @Override
    public void run(Denoiser d, int[] timesteps, float[] x, float[] cond, int batch, GaussianNoise noise,
                    SampleConstraint constraint) {
        schedule.checkTimesteps(timesteps);
        int n = SolverBuffers.sampleSize(d, x, batch);
        buf.ensure(n, batch, false);
        float[] eps = buf.eps;
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
                float x0 = SolverBuffers.clip((x[j] - sqrtBetaProdT * eps[j]) / sqrtAcpT, clipSample);
                x[j] = sqrtAcpPrev * x0 + dir * eps[j];
            }
        }
        constraint.apply(x);
    }
}
