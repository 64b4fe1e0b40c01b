package org.steppolicy.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** A sample-prediction model (x̂0 out) gives the chain an ε-model with the equivalent output gives. */
class PredictionTypeTest {
    private static final NoiseSchedule S = Fakes.SCHEDULE;
    private static final int H = 16, D = 2, N = H * D;

    /** Outputs x̂0 = (x − √(1−ᾱ)·ε̂)/√ᾱ of the wrapped ε-model, computed in double. */
    static final class AsSample implements Denoiser {
        final Denoiser eps;
        final float[] buf = new float[N];

        AsSample(Denoiser eps) { this.eps = eps; }

        @Override public int horizon() { return H; }
        @Override public int inputDim() { return D; }
        @Override public int condDim() { return 0; }

        @Override
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            eps.predict(x, t, cond, batch, buf);
            double a = S.alphaCumprod(t[0]);
            for (int j = 0; j < N; j++) out[j] = (float) ((x[j] - Math.sqrt(1 - a) * buf[j]) / Math.sqrt(a));
        }
    }

    @Test
    void everySolverFollowsTheSameChainForEitherParameterisation() {
        Denoiser eps = new Fakes.Affine(H, D);
        Denoiser sample = new AsSample(eps);
        for (SolverKind kind : SolverKind.values()) {
            for (boolean clip : new boolean[] {true, false}) {
                Solver e = kind.create(S, clip, PredictionType.EPSILON), s = kind.create(S, clip, PredictionType.SAMPLE);
                for (int k : new int[] {1, 2, 10}) {
                    float[] xe = new float[N], xs = new float[N];
                    new GaussianNoise(5).fill(xe, 0, N);
                    System.arraycopy(xe, 0, xs, 0, N);
                    e.run(eps, e.timesteps(k), xe, null, 1, new GaussianNoise(9), SampleConstraint.NONE);
                    s.run(sample, s.timesteps(k), xs, null, 1, new GaussianNoise(9), SampleConstraint.NONE);
                    for (int j = 0; j < N; j++) assertEquals(xe[j], xs[j], 2e-3, kind + " clip=" + clip + " k=" + k + " j=" + j);
                }
            }
        }
    }

    @Test
    void vPredictionIsRefused() {
        assertEquals("unsupported prediction_type 'v_prediction' (supported: epsilon, sample)",
                assertThrows(IllegalArgumentException.class, () -> PredictionType.parse("v_prediction")).getMessage());
    }
}
