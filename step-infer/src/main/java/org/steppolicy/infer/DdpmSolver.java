package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * Ancestral DDPM sampling with fixed_small variance and x̂0 clipped to [−1, 1], diffusers v0.11.1's step (§B.3) in
 * float32. Between consecutive timesteps it is exactly DP's 100-step sampler; across a stride (t → prev &lt; t−1) it uses
 * the generalised posterior with β = 1 − ᾱ_t/ᾱ_prev (later diffusers), since v0.11.1's t−1 there is wrong (§B.3 caveat).
 * No noise is added on the step to the clean sample. A sample-prediction model's x̂0 is its output.
 */
public final class DdpmSolver extends ScheduledSolver {
    public DdpmSolver(DiffusionSchedule schedule, boolean clipSample, PredictionType prediction) {
        super(SolverKind.DDPM, schedule, clipSample, prediction);
    }

    @Override
    void update(int[] timesteps, int i, int prev, float[] x, float[] out, int n, GaussianNoise noise) {
        boolean epsilon = epsilon();
        int t = timesteps[i];
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
}
