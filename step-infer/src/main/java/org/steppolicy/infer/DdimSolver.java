package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * Deterministic DDIM (η = 0) with x̂0 clipped to [−1, 1] (when clip_sample) and the raw ε̂ as the direction, diffusers
 * v0.11.1 (§B.3) in float32; the step after the last timestep lands on ᾱ = 1 (set_alpha_to_one). A sample-prediction
 * model's x̂0 is its output, and its ε̂ is derived from it, as later diffusers do.
 */
public final class DdimSolver extends ScheduledSolver {
    public DdimSolver(DiffusionSchedule schedule, boolean clipSample, PredictionType prediction) {
        super(SolverKind.DDIM, schedule, clipSample, prediction);
    }

    /** One step's {@link #coefficients}, reused: the denoising loop allocates nothing once warm. */
    private final float[] step = new float[4];

    /**
     * The float32 coefficients of one step from {@code t} to {@code prev} (−1: ᾱ = 1) into {@code into}: √(1−ᾱ_t),
     * √ᾱ_t, √ᾱ_prev and the direction's √(1−ᾱ_prev). The fused ONNX graph (runtime.FusedOnnx) takes its constants
     * from here, so both round them alike.
     */
    public static void coefficients(DiffusionSchedule schedule, int t, int prev, float[] into) {
        float acpT = schedule.alphaCumprod(t);
        float acpPrev = schedule.alphaCumprod(prev);
        into[0] = (float) Math.sqrt(1f - acpT);
        into[1] = (float) Math.sqrt(acpT);
        into[2] = (float) Math.sqrt(acpPrev);
        into[3] = (float) Math.sqrt(1f - acpPrev);
    }

    @Override
    void update(int[] timesteps, int i, int prev, float[] x, float[] out, int n, GaussianNoise noise) {
        boolean epsilon = epsilon();
        coefficients(schedule, timesteps[i], prev, step);
        float sqrtBetaProdT = step[0], sqrtAcpT = step[1], sqrtAcpPrev = step[2], dir = step[3];
        for (int j = 0; j < n; j++) {
            float x0 = epsilon ? (x[j] - sqrtBetaProdT * out[j]) / sqrtAcpT : out[j];
            // The direction uses the unclipped model's ε (use_clipped_model_output=False), derived for x0-models.
            float eps = epsilon ? out[j] : (x[j] - sqrtAcpT * x0) / sqrtBetaProdT;
            x[j] = sqrtAcpPrev * SolverBuffers.clip(x0, clipSample) + dir * eps;
        }
    }
}
