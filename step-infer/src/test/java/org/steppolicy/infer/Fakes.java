package org.steppolicy.infer;

import java.util.ArrayList;
import java.util.List;

/** Analytic, deterministic stand-ins for the networks. */
final class Fakes {
    private Fakes() {}

    static final NoiseSchedule SCHEDULE = NoiseSchedule.diffusionPolicy();

    /** Returns the exact ε for a known clean sample x0 (per element, repeated over the batch). */
    static final class ExactEpsilon implements Denoiser {
        final float[] x0;
        final int horizon, dim;

        ExactEpsilon(float[] x0, int horizon, int dim) {
            this.x0 = x0;
            this.horizon = horizon;
            this.dim = dim;
        }

        @Override public int horizon() { return horizon; }
        @Override public int inputDim() { return dim; }
        @Override public int condDim() { return 0; }

        @Override
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            int n = horizon * dim;
            for (int b = 0; b < batch; b++) {
                double a = SCHEDULE.alphaCumprod(t[b]);
                for (int j = 0; j < n; j++) {
                    int k = b * n + j;
                    out[k] = (float) ((x[k] - Math.sqrt(a) * x0[j]) / Math.sqrt(1 - a));
                }
            }
        }
    }

    /** ε̂ = c_t·x + d_j, a smooth t-dependent affine map whose solver chains a test can recompute in double. */
    static final class Affine implements Denoiser {
        final int horizon, dim;

        Affine(int horizon, int dim) {
            this.horizon = horizon;
            this.dim = dim;
        }

        static double c(int t) { return 0.4 + 0.5 * t / 100.0; }

        static double d(int j) { return 0.3 * Math.sin(1.7 * j); }

        @Override public int horizon() { return horizon; }
        @Override public int inputDim() { return dim; }
        @Override public int condDim() { return 0; }

        @Override
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            int n = horizon * dim;
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < n; j++) out[b * n + j] = (float) (c(t[b]) * x[b * n + j] + d(j));
        }
    }

    /**
     * The exact posterior-mean ε for data x0 ~ N(mu, s²) independently per element:
     * E[ε | x_t] = √(1−ᾱ)(x − √ᾱ·mu)/(ᾱ s² + 1 − ᾱ).
     */
    static final class GaussianData implements Denoiser {
        final double mu, s;
        final int horizon, dim;

        GaussianData(double mu, double s, int horizon, int dim) {
            this.mu = mu;
            this.s = s;
            this.horizon = horizon;
            this.dim = dim;
        }

        @Override public int horizon() { return horizon; }
        @Override public int inputDim() { return dim; }
        @Override public int condDim() { return 0; }

        @Override
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            int n = horizon * dim;
            for (int b = 0; b < batch; b++) {
                double a = SCHEDULE.alphaCumprod(t[b]);
                for (int j = 0; j < n; j++) {
                    int k = b * n + j;
                    out[k] = (float) (Math.sqrt(1 - a) * (x[k] - Math.sqrt(a) * mu) / (a * s * s + 1 - a));
                }
            }
        }
    }

    /** Wraps a denoiser and records every call's timestep, input and condition. */
    static final class Recording implements Denoiser {
        final Denoiser inner;
        final int condDim;
        final List<Integer> timesteps = new ArrayList<>();
        final List<float[]> inputs = new ArrayList<>();
        final List<float[]> conds = new ArrayList<>();

        Recording(Denoiser inner, int condDim) {
            this.inner = inner;
            this.condDim = condDim;
        }

        @Override public int horizon() { return inner.horizon(); }
        @Override public int inputDim() { return inner.inputDim(); }
        @Override public int condDim() { return condDim; }

        @Override
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            timesteps.add(t[0]);
            inputs.add(x.clone());
            conds.add(cond == null ? null : cond.clone());
            inner.predict(x, t, cond, batch, out);
        }
    }
}
