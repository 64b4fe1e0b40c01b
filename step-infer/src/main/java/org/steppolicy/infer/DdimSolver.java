package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * Deterministic DDIM (η = 0) with x̂0 clipped to [−1, 1] (when clip_sample) and the raw ε̂ as the direction, diffusers
 * v0.11.1 (§B.3) in float32; the step after the last timestep lands on ᾱ = 1 (set_alpha_to_one). A sample-prediction
 * model's x̂0 is its output, and its ε̂ is derived from it, as later diffusers do.
 */
public final class DdimSolver extends ScheduledSolver {
    /** An ε-prediction model's solver. */
    public DdimSolver(DiffusionSchedule schedule, boolean clipSample) {
        this(schedule, clipSample, PredictionType.EPSILON);
    }

    public DdimSolver(DiffusionSchedule schedule, boolean clipSample, PredictionType prediction) {
        super(schedule, clipSample, prediction);
    }

    @Override
    public SolverKind kind() { return SolverKind.DDIM; }

    @Override
    void update(int[] timesteps, int i, int prev, float[] x, float[] out, int n, GaussianNoise noise) {
        boolean epsilon = epsilon();
        float acpT = schedule.alphaCumprod(timesteps[i]);
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
}
