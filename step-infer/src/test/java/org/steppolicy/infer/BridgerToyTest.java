package org.steppolicy.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.steppolicy.models.StochasticInterpolant;
import org.steppolicy.models.StochasticInterpolant.Shape;

/**
 * BRIDGeR's interpolant and sampler on a 1-D bridge between two Gaussians, x0 ~ N(m0, s0²) to x1 ~ N(m1, s1²), where
 * everything is known in closed form. The reference formulas below are written here from the paper's definitions
 * (x_t = αx0 + βx1 + γz, z = dε, γ = √(2t(1−t)), ε(t) = 1 − t), in double precision, independently of the classes tested.
 */
class BridgerToyTest {
    private static final double M0 = 0, S0 = 1, M1 = 2, S1 = 0.5;

    // --- reference, from the definitions ---
    private static double refAlpha(Shape k, double t) {
        return switch (k) {
            case LINEAR -> 1 - t;
            case POWER3 -> (1 - t) * (1 - t) * (1 - t);
            case POWER4 -> (1 - t) * (1 - t) * (1 - t) * (1 - t);
        };
    }

    /** dα/dt by a central difference of the reference α (so the analytic derivative is checked, not copied). */
    private static double refAlphaDot(Shape k, double t) {
        double h = 1e-6;
        return (refAlpha(k, t + h) - refAlpha(k, t - h)) / (2 * h);
    }

    private static double refGamma(double t) { return Math.sqrt(2 * t * (1 - t)); }

    private static double refGammaDot(double t) {
        double h = 1e-7;
        return (refGamma(t + h) - refGamma(t - h)) / (2 * h);
    }

    private static double mean(Shape k, double t) { return refAlpha(k, t) * M0 + (1 - refAlpha(k, t)) * M1; }

    private static double var(Shape k, double t, double d) {
        double a = refAlpha(k, t), b = 1 - a, g = d * refGamma(t);
        return a * a * S0 * S0 + b * b * S1 * S1 + g * g;
    }

    /** The exact minimisers of the two losses on the toy: v*(t,x) = E[∂tI | x_t = x], s*(t,x) = −E[z | x_t = x]. */
    private static final class Oracle implements BridgeNetwork {
        final Shape k;
        final double d;

        Oracle(Shape k, double d) {
            this.k = k;
            this.d = d;
        }

        @Override public int horizon() { return 1; }
        @Override public int actionDim() { return 1; }
        @Override public int condDim() { return 0; }

        @Override
        public void predict(float[] x, float t, float[] cond, int batch, float[] velocity, float[] score) {
            double a = refAlpha(k, t), ad = refAlphaDot(k, t), b = 1 - a, bd = -ad, g = refGamma(t);
            double mu = mean(k, t), var = var(k, t, d);
            for (int i = 0; i < batch; i++) {
                double r = (x[i] - mu) / var;
                velocity[i] = (float) (ad * M0 + bd * M1 + (a * ad * S0 * S0 + b * bd * S1 * S1) * r);
                score[i] = (float) (-d * d * g * r);
            }
        }
    }

    private static float[] gaussians(SplittableRandom rnd, int n, double m, double s) {
        GaussianNoise g = new GaussianNoise(rnd.nextLong());
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (m + s * g.next());
        return a;
    }

    private static double[] moments(float[] x) {
        double m = 0, v = 0;
        for (float f : x) m += f;
        m /= x.length;
        for (float f : x) v += (f - m) * (f - m);
        return new double[] {m, v / (x.length - 1)};
    }

    @Test
    void interpolantMarginalsMatchTheClosedForm() {
        int n = 200_000;
        for (Shape k : Shape.values()) {
            StochasticInterpolant si = new StochasticInterpolant(k, 0.5);
            for (double t : new double[] {0.1, 0.5, 0.9}) {
                SplittableRandom rnd = new SplittableRandom(7);
                float[] x0 = gaussians(rnd, n, M0, S0), x1 = gaussians(rnd, n, M1, S1), e = gaussians(rnd, n, 0, 1);
                double[] ts = new double[n];
                java.util.Arrays.fill(ts, t);
                float[] xt = new float[n], vt = new float[n], st = new float[n];
                si.sample(x0, x1, e, ts, n, 1, xt, vt, st);
                double[] mv = moments(xt);
                double mu = mean(k, t), var = var(k, t, 0.5);
                assertEquals(mu, mv[0], 5 * Math.sqrt(var / n), k + " mean at t=" + t);
                assertEquals(var, mv[1], 5 * var * Math.sqrt(2.0 / n), k + " variance at t=" + t);
                // the per-sample targets, against the reference formulas
                double ad = refAlphaDot(k, t), g = refGamma(t);
                for (int i = 0; i < 100; i++) {
                    assertEquals(ad * x0[i] - ad * x1[i], vt[i], 1e-4, "velocity target");
                    assertEquals(-0.5 * e[i], st[i], 1e-6, "score target");
                    assertEquals(refAlpha(k, t) * x0[i] + (1 - refAlpha(k, t)) * x1[i] + g * 0.5 * e[i], xt[i], 1e-5, "x_t");
                }
            }
            // endpoints (clipped to t_min): source and expert within the clipping's reach
            assertEquals(1, si.alpha(StochasticInterpolant.clip(0)), 0.005);
            assertEquals(1, si.beta(StochasticInterpolant.clip(1)), 0.005);
        }
    }

    @Test
    void gammaAndItsDerivativeMatchTheDefinition() {
        for (double t = 0.05; t < 1; t += 0.1) {
            assertEquals(refGamma(t), StochasticInterpolant.gamma(t), 1e-12);
            assertEquals(refGammaDot(t), StochasticInterpolant.gammaDot(t), 1e-5);
            assertEquals(1 - t, StochasticInterpolant.diffusion(t), 1e-12);
        }
    }

    /** One update of each mode against the reference update written from the SDE (and from BRIDGeR's code for parity). */
    @Test
    void samplerUpdateMatchesTheReference() {
        int n = 64;
        SplittableRandom rnd = new SplittableRandom(3);
        float[] x = gaussians(rnd, n, 0, 1), v = gaussians(rnd, n, 0, 1), s = gaussians(rnd, n, 0, 0.05f);
        float[] draws = gaussians(rnd, n, 0, 1);
        double d = 0.3, dt = 0.25;
        for (BridgerSampler.Mode mode : BridgerSampler.Mode.values()) {
            for (double t : new double[] {0.25, 0.6, 0.999}) {
                BridgerSampler sampler = new BridgerSampler(new StochasticInterpolant(Shape.POWER3, d),
                        new BridgerSampler.Settings(mode, BridgerSampler.TimeGrid.END));
                float[] y = x.clone();
                sampler.update(y, v, s, n, t, dt, GaussianNoise.replay(draws));
                double g = refGamma(t), gd = refGammaDot(t), eps = 1 - t;
                for (int i = 0; i < n; i++) {
                    double sc = s[i] / g;                 // d² × score
                    double expected = switch (mode) {
                        case ODE -> x[i] + (v[i] - gd * g * sc) * dt;
                        case SDE -> x[i] + (v[i] - gd * g * sc + eps * sc) * dt + d * Math.sqrt(2 * eps * dt) * draws[i];
                        case REFERENCE -> x[i] + (v[i] - eps * gd * g * sc + eps * sc) * dt + d * Math.sqrt(2 * eps) * dt * draws[i];
                    };
                    assertEquals(expected, y[i], 2e-5 * (1 + Math.abs(expected)), mode + " at t=" + t);
                }
            }
        }
    }

    /** With the exact fields, many small steps carry N(m0, s0²) to N(m1, s1²): the ODE and the consistent SDE. */
    @Test
    void fineIntegrationOfTheOracleReachesTheTarget() {
        int n = 20_000;
        for (BridgerSampler.Mode mode : new BridgerSampler.Mode[] {BridgerSampler.Mode.ODE, BridgerSampler.Mode.SDE}) {
            for (Shape k : new Shape[] {Shape.LINEAR, Shape.POWER3}) {
                double d = 0.5;
                BridgerSampler sampler = new BridgerSampler(new StochasticInterpolant(k, d),
                        new BridgerSampler.Settings(mode, BridgerSampler.TimeGrid.MID));
                float[] x = gaussians(new SplittableRandom(11), n, M0, S0);
                sampler.run(new Oracle(k, d), 500, x, new float[0], n, new GaussianNoise(5));
                double[] mv = moments(x);
                assertEquals(M1, mv[0], 0.02, mode + " " + k + " mean");
                assertEquals(S1, Math.sqrt(mv[1]), 0.02, mode + " " + k + " std");
            }
        }
    }

    /**
     * Point masses a → c without noise: power3's velocity is 3(1−t)²(c−a) and BRIDGeR's right-end grid moves x by
     * Σ_k (1/N)·3(1−k/N)² of the way: 0.375 at N = 2, 0.72 at N = 5, 0.855 at N = 10; the linear interpolant gets
     * there in any N; the midpoint grid nearly does for power3.
     */
    @Test
    void pointMassBridgeFractions() {
        double a = -1, c = 1;
        double[][] expected = {{2, 0.375}, {5, 0.72}, {10, 0.855}};
        for (double[] e : expected) {
            assertEquals(e[1], fraction(Shape.POWER3, BridgerSampler.TimeGrid.END, (int) e[0], a, c), 2e-4, "power3 N=" + e[0]);
            assertEquals(1, fraction(Shape.LINEAR, BridgerSampler.TimeGrid.END, (int) e[0], a, c), 1e-6, "linear N=" + e[0]);
        }
        // midpoint at N = 2: t = 0.25, 0.75 → 0.5·3·(0.75² + 0.25²) = 0.9375
        assertEquals(0.9375, fraction(Shape.POWER3, BridgerSampler.TimeGrid.MID, 2, a, c), 1e-6);
    }

    private static double fraction(Shape k, BridgerSampler.TimeGrid grid, int steps, double a, double c) {
        BridgeNetwork pointMass = new BridgeNetwork() {
            @Override public int horizon() { return 1; }
            @Override public int actionDim() { return 1; }
            @Override public int condDim() { return 0; }

            @Override
            public void predict(float[] x, float t, float[] cond, int batch, float[] velocity, float[] score) {
                velocity[0] = (float) (-refAlphaDot(k, t) * (c - a));
                score[0] = 0;
            }
        };
        float[] x = {(float) a};
        new BridgerSampler(new StochasticInterpolant(k, 0), new BridgerSampler.Settings(BridgerSampler.Mode.SDE, grid))
                .run(pointMass, steps, x, new float[0], 1, new GaussianNoise(1));
        return (x[0] - a) / (c - a);
    }
}
