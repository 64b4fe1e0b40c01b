package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;

/**
 * DPM-Solver++(2M), data prediction, on DP's discrete ᾱ table (§B.5): α = √ᾱ, σ = √(1−ᾱ), λ = ln(α/σ).
 * The first step is first order (no history), later ones use the 2M multistep correction, and the step after the last
 * timestep goes to the clean sample (σ = 0), where the first-order update is x̂0 itself; that is also diffusers'
 * lower_order_final for k &lt; 15. Clipping x̂0 to [−1, 1] is a setting (diffusers' thresholding). A
 * sample-prediction model's output is x̂0 itself (the data prediction DPM-Solver++ works with).
 * Coefficients are computed in double from the float32 table.
 */
public final class DpmSolverPlusPlus extends ScheduledSolver {
    public DpmSolverPlusPlus(DiffusionSchedule schedule, boolean clipSample, PredictionType prediction) {
        super(SolverKind.DPMSOLVER, schedule, clipSample, prediction);
    }

    @Override
    boolean needsDataHistory() { return true; }

    private double alpha(int t) { return Math.sqrt(schedule.alphaCumprod(t)); }

    private double sigma(int t) { return Math.sqrt(1.0 - schedule.alphaCumprod(t)); }

    private double lambda(int t) { return Math.log(alpha(t) / sigma(t)); }

    @Override
    void update(int[] timesteps, int i, int next, float[] x, float[] out, int n, GaussianNoise noise) {
        boolean epsilon = epsilon();
        int s = timesteps[i];
        float[] x0 = buf.x0;
        float[] x0Prev = buf.x0Prev;
        double alphaS = alpha(s), sigmaS = sigma(s);
        for (int j = 0; j < n; j++) {
            x0[j] = SolverBuffers.clip(epsilon ? (float) ((x[j] - sigmaS * out[j]) / alphaS) : out[j], clipSample);
        }
        if (next < 0) {
            System.arraycopy(x0, 0, x, 0, n); // σ_next = 0: the first-order update is x̂0
        } else {
            double alphaN = alpha(next), sigmaN = sigma(next);
            double lambdaS = lambda(s);
            double h = lambda(next) - lambdaS;
            double ratio = sigmaN / sigmaS;
            double phi = -alphaN * Math.expm1(-h); // −α_t·(e^{−h} − 1)
            if (i == 0) {
                for (int j = 0; j < n; j++) x[j] = (float) (ratio * x[j] + phi * x0[j]);
            } else {
                double r = (lambdaS - lambda(timesteps[i - 1])) / h;
                double w = 1.0 / (2.0 * r);
                for (int j = 0; j < n; j++) {
                    double dd = (1.0 + w) * x0[j] - w * x0Prev[j];
                    x[j] = (float) (ratio * x[j] + phi * dd);
                }
            }
        }
        buf.x0 = x0Prev; // swap: this step's x̂0 becomes the history of the next
        buf.x0Prev = x0;
    }
}
