package org.steppolicy.infer;

/**
 * Ancestral DDPM sampling with fixed_small variance and x̂0 clipped to [−1, 1], diffusers v0.11.1's step (§B.3) in
 * float32. Between consecutive timesteps it is exactly DP's 100-step sampler; across a stride (t → prev &lt; t−1) it uses
 * the generalised posterior with β = 1 − ᾱ_t/ᾱ_prev (later diffusers), since v0.11.1's t−1 there is wrong (§B.3 caveat).
 * No noise is added on the step to the clean sample. A sample-prediction model's x̂0 is its output.
 */
public final class DdpmSolver implements Solver {
    private final NoiseSchedule schedule;
    private final boolean clipSample;
    private final PredictionType prediction;
    private final SolverBuffers buf = new SolverBuffers();

    /** An ε-prediction model's solver. */
    public DdpmSolver(NoiseSchedule schedule, boolean clipSample) {
        this(schedule, clipSample, PredictionType.EPSILON);
    }

    public DdpmSolver(NoiseSchedule schedule, boolean clipSample, PredictionType prediction) {
        this.schedule = schedule;
        this.clipSample = clipSample;
        this.prediction = prediction;
    }

    @Override
    public SolverKind kind() { return SolverKind.DDPM; }

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
            float betaProdT = 1f - acpT;
            float betaProdPrev = 1f - acpPrev;
            boolean single = prev == t - 1;
            float curAlpha = single ? schedule.alpha(t) : acpT / acpPrev;
            float curBeta = single ? schedule.beta(t) : 1f - curAlpha;
            float sqrtBetaProdT = (float) Math.sqrt(betaProdT);
            float sqrtAcpT = (float) Math.sqrt(acpT);
            float c0 = (float) Math.sqrt(acpPrev) * curBeta / betaProdT;
            float ct = (float) Math.sqrt(curAlpha) * betaProdPrev / betaProdT;
            float std = 0f;
            if (prev >= 0) {
                float var = single ? schedule.posteriorVariance(t) : Math.max(betaProdPrev / betaProdT * curBeta, 1e-20f);
                std = (float) Math.sqrt(var);
            }
            for (int j = 0; j < n; j++) {
                float x0 = SolverBuffers.clip(epsilon ? (x[j] - sqrtBetaProdT * out[j]) / sqrtAcpT : out[j], clipSample);
                float v = c0 * x0 + ct * x[j];
                if (prev >= 0) v += std * (float) noise.next();
                x[j] = v;
            }
        }
        constraint.apply(x);
    }
}
