package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;
import java.util.ArrayList;
import java.util.List;

/** Analytic, deterministic stand-ins for the networks. */
final class Fakes {
    private Fakes() {}

    static final DiffusionSchedule SCHEDULE = DiffusionSchedule.diffusionPolicy();

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

    /**
     * Exact ε toward a clean trajectory that depends on the condition: target[h, c] = 0.6·sin(0.3h + c + cond[k]) with k
     * the current frame's first obs value (the last of the window). For inpainting (condDim 0) it reads the pinned
     * obs channel of step To−1 instead. Any deterministic solver lands on the target.
     */
    static final class CondTarget implements Denoiser {
        final int horizon, dim, condDim, actionDim, obsSteps, obsDim;
        int calls;

        CondTarget(PolicyShape shape, boolean inpainting) {
            this.horizon = shape.horizon();
            this.actionDim = shape.actionDim();
            this.obsSteps = shape.obsSteps();
            this.obsDim = shape.obsDim();
            this.dim = inpainting ? shape.actionDim() + shape.obsDim() : shape.actionDim();
            this.condDim = inpainting ? 0 : shape.condDim();
        }

        double key(float[] x, float[] cond, int b) {
            return condDim == 0 ? x[b * horizon * dim + (obsSteps - 1) * dim + actionDim] : cond[b * condDim + (obsSteps - 1) * obsDim];
        }

        static double target(int h, int c, double key) { return 0.6 * Math.sin(0.3 * h + c + key); }

        @Override public int horizon() { return horizon; }
        @Override public int inputDim() { return dim; }
        @Override public int condDim() { return condDim; }

        @Override
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            calls++;
            int n = horizon * dim;
            for (int b = 0; b < batch; b++) {
                double a = SCHEDULE.alphaCumprod(t[b]);
                double key = key(x, cond, b);
                for (int h = 0; h < horizon; h++)
                    for (int c = 0; c < dim; c++) {
                        int k = b * n + h * dim + c;
                        out[k] = (float) ((x[k] - Math.sqrt(a) * target(h, c, key)) / Math.sqrt(1 - a));
                    }
            }
        }
    }

    /** A deterministic predictor: 0.5·prev + 0.2·obs (step kind) or 0.3·obs − 0.1 (spatial kind); records its inputs. */
    static final class Predictor implements ChunkPredictor {
        final int horizon, actionDim;
        final boolean usesPrev;
        final List<float[]> obsSeen = new ArrayList<>();
        final List<float[]> prevSeen = new ArrayList<>();

        Predictor(int horizon, int actionDim, boolean usesPrev) {
            this.horizon = horizon;
            this.actionDim = actionDim;
            this.usesPrev = usesPrev;
        }

        static float value(boolean usesPrev, float[] obs, float[] prev, int i) {
            float o = obs[i % obs.length];
            return usesPrev ? 0.5f * prev[i] + 0.2f * o : 0.3f * o - 0.1f;
        }

        @Override public int horizon() { return horizon; }
        @Override public int actionDim() { return actionDim; }
        @Override public boolean usesPreviousChunk() { return usesPrev; }

        @Override
        public void predict(float[] obs, float[] prev, int batch, float[] out) {
            obsSeen.add(obs.clone());
            prevSeen.add(prev.clone());
            for (int i = 0; i < horizon * actionDim; i++) out[i] = value(usesPrev, obs, prev, i);
        }
    }
}
