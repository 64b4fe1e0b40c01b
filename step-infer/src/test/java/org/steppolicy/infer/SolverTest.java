package org.steppolicy.infer;

import org.steppolicy.models.DiffusionSchedule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SolverTest {
    private static final DiffusionSchedule S = Fakes.SCHEDULE;
    private static final int H = 16, D = 3, N = H * D;

    private static float[] noise(long seed, int n) {
        float[] x = new float[n];
        new GaussianNoise(seed).fill(x, 0, n);
        return x;
    }

    private static float[] cleanSample() {
        float[] x0 = new float[N];
        for (int j = 0; j < N; j++) x0[j] = (float) (0.9 * Math.sin(0.37 * j + 0.2));
        return x0;
    }

    private static double acp(int t) { return S.alphaCumprod(t); }

    private static double clip(double v) { return Math.max(-1, Math.min(1, v)); }

    @Test
    void exactEpsilonRecoversTheCleanSampleWithEverySolver() {
        float[] x0 = cleanSample();
        Denoiser d = new Fakes.ExactEpsilon(x0, H, D);
        for (SolverKind kind : SolverKind.values()) {
            Solver solver = kind.create(S, true);
            for (int k : new int[] {1, 2, 4, 10, 100}) {
                float[] x = noise(7, N);
                solver.run(d, solver.timesteps(k), x, null, 1, new GaussianNoise(1), SampleConstraint.NONE);
                for (int j = 0; j < N; j++) assertEquals(x0[j], x[j], 2e-4, kind + " k=" + k + " j=" + j);
            }
        }
    }

    @Test
    void ddimFromAWarmStartAlsoLandsOnTheCleanSample() {
        float[] x0 = cleanSample();
        Denoiser d = new Fakes.ExactEpsilon(x0, H, D);
        Solver solver = SolverKind.DDIM.create(S, true);
        float[] x = noise(3, N);
        for (int j = 0; j < N; j++) x[j] = (float) (Math.sqrt(acp(50)) * x0[j] + Math.sqrt(1 - acp(50)) * x[j]);
        solver.run(d, new int[] {50, 0}, x, null, 1, new GaussianNoise(1), SampleConstraint.NONE);
        for (int j = 0; j < N; j++) assertEquals(x0[j], x[j], 1e-5);
    }

    /** DDPM in double, written from §B.3's formulas, with the same noise draws in the same order. */
    private static double[] ddpmReference(int[] ts, float[] start, int batch, long seed) {
        double[] x = new double[start.length];
        for (int i = 0; i < x.length; i++) x[i] = start[i];
        GaussianNoise z = new GaussianNoise(seed);
        for (int i = 0; i < ts.length; i++) {
            int t = ts[i];
            int prev = i + 1 < ts.length ? ts[i + 1] : -1;
            double at = acp(t), ap = acp(prev);
            double beta = prev == t - 1 ? S.beta(t) : 1 - at / ap;
            double alpha = prev == t - 1 ? S.alpha(t) : at / ap;
            double var = Math.max((1 - ap) / (1 - at) * beta, 1e-20);
            for (int b = 0; b < batch; b++)
                for (int j = 0; j < N; j++) {
                    int k = b * N + j;
                    double eps = Fakes.Affine.c(t) * x[k] + Fakes.Affine.d(j);
                    double x0 = clip((x[k] - Math.sqrt(1 - at) * eps) / Math.sqrt(at));
                    double mu = Math.sqrt(ap) * beta / (1 - at) * x0 + Math.sqrt(alpha) * (1 - ap) / (1 - at) * x[k];
                    x[k] = mu + (prev >= 0 ? Math.sqrt(var) * z.next() : 0);
                }
        }
        return x;
    }

    @Test
    void ddpmMatchesADoubleReferenceWithTheSameNoise() {
        Denoiser d = new Fakes.Affine(H, D);
        Solver solver = SolverKind.DDPM.create(S, true);
        for (int[] ts : new int[][] {solver.timesteps(100), solver.timesteps(10), {3, 2, 1, 0}}) {
            float[] x = noise(11, 2 * N);
            double[] ref = ddpmReference(ts, x, 2, 99);
            solver.run(d, ts, x, null, 2, new GaussianNoise(99), SampleConstraint.NONE);
            for (int j = 0; j < 2 * N; j++) assertEquals(ref[j], x[j], 5e-4, Arrays.toString(ts) + " j=" + j);
        }
    }

    @Test
    void ddimMatchesADoubleReference() {
        Denoiser d = new Fakes.Affine(H, D);
        for (boolean clipOn : new boolean[] {true, false}) {
            Solver solver = SolverKind.DDIM.create(S, clipOn);
            for (int k : new int[] {1, 2, 8, 100}) {
                int[] ts = solver.timesteps(k);
                float[] x = noise(5, N);
                double[] ref = new double[N];
                for (int j = 0; j < N; j++) ref[j] = x[j];
                for (int i = 0; i < ts.length; i++) {
                    int t = ts[i], prev = t - 100 / k; // v0.11.1: prev = t − T // k
                    double at = acp(t), ap = prev >= 0 ? acp(prev) : 1.0;
                    for (int j = 0; j < N; j++) {
                        double eps = Fakes.Affine.c(t) * ref[j] + Fakes.Affine.d(j);
                        double x0 = (ref[j] - Math.sqrt(1 - at) * eps) / Math.sqrt(at);
                        if (clipOn) x0 = clip(x0);
                        ref[j] = Math.sqrt(ap) * x0 + Math.sqrt(1 - ap) * eps;
                    }
                }
                solver.run(d, ts, x, null, 1, new GaussianNoise(0), SampleConstraint.NONE);
                double tol = clipOn ? 1e-4 : 1e-3 * (1 + maxAbs(ref));
                for (int j = 0; j < N; j++) assertEquals(ref[j], x[j], tol, "clip=" + clipOn + " k=" + k + " j=" + j);
            }
        }
    }

    private static double maxAbs(double[] a) {
        return Arrays.stream(a).map(Math::abs).max().orElse(0);
    }

    /** DPM-Solver++(2M) in double, in diffusers' D0/D1 form (r0 = h0/h, x = σt/σs·x − αt(e^{−h}−1)(D0 + D1/2)). */
    private static double[] dpmReference(int[] ts, float[] start, boolean clipOn) {
        double[] x = new double[start.length];
        for (int i = 0; i < x.length; i++) x[i] = start[i];
        double[] m1 = null; // previous data prediction
        for (int i = 0; i < ts.length; i++) {
            int s = ts[i];
            int t = i + 1 < ts.length ? ts[i + 1] : -1;
            double as = Math.sqrt(acp(s)), ss = Math.sqrt(1 - acp(s));
            double[] m0 = new double[N];
            for (int j = 0; j < N; j++) {
                double eps = Fakes.Affine.c(s) * x[j] + Fakes.Affine.d(j);
                m0[j] = (x[j] - ss * eps) / as;
                if (clipOn) m0[j] = clip(m0[j]);
            }
            if (t < 0) {
                x = m0;
            } else {
                double at = Math.sqrt(acp(t)), st = Math.sqrt(1 - acp(t));
                double h = Math.log(at / st) - Math.log(as / ss);
                for (int j = 0; j < N; j++) {
                    double dd = m0[j];
                    if (m1 != null) {
                        int sp = ts[i - 1];
                        double h0 = Math.log(as / ss) - Math.log(Math.sqrt(acp(sp)) / Math.sqrt(1 - acp(sp)));
                        double r0 = h0 / h;
                        dd = m0[j] + 0.5 * (1 / r0) * (m0[j] - m1[j]);
                    }
                    x[j] = st / ss * x[j] - at * (Math.exp(-h) - 1) * dd;
                }
            }
            m1 = m0;
        }
        return x;
    }

    @Test
    void dpmSolverMatchesADoubleReference() {
        Denoiser d = new Fakes.Affine(H, D);
        for (boolean clipOn : new boolean[] {true, false}) {
            Solver solver = SolverKind.DPMSOLVER.create(S, clipOn);
            for (int[] ts : new int[][] {solver.timesteps(2), solver.timesteps(4), solver.timesteps(20), {50, 0}, {1, 0}}) {
                float[] x = noise(13, N);
                double[] ref = dpmReference(ts, x, clipOn);
                solver.run(d, ts, x, null, 1, new GaussianNoise(0), SampleConstraint.NONE);
                double tol = 1e-4 * (1 + maxAbs(ref));
                for (int j = 0; j < N; j++)
                    assertEquals(ref[j], x[j], tol, "clip=" + clipOn + " " + Arrays.toString(ts) + " j=" + j);
            }
        }
    }

    @Test
    void dpmSolverWithTwoStepsIsOneFirstOrderStepThenTheDataPrediction() {
        // worked by hand from §B.5: k=2 → [99, 50]; x50 = σ50/σ99·x + α50·(1 − e^{−h})·x̂0(99); result x̂0(50).
        Denoiser d = new Fakes.Affine(1, 1);
        Solver solver = SolverKind.DPMSOLVER.create(S, false);
        float[] x = {0.5f};
        double a99 = Math.sqrt(acp(99)), s99 = Math.sqrt(1 - acp(99)), a50 = Math.sqrt(acp(50)), s50 = Math.sqrt(1 - acp(50));
        double m99 = (0.5 - s99 * (Fakes.Affine.c(99) * 0.5 + Fakes.Affine.d(0))) / a99;
        double x50 = s50 / s99 * 0.5 + a50 * (1 - (s50 / a50) / (s99 / a99)) * m99;
        double expected = (x50 - s50 * (Fakes.Affine.c(50) * x50 + Fakes.Affine.d(0))) / a50;
        solver.run(d, new int[] {99, 50}, x, null, 1, new GaussianNoise(0), SampleConstraint.NONE);
        assertEquals(expected, x[0], 1e-4 * Math.abs(expected));
    }

    /** The probability-flow transport for Gaussian data: (x_t − √ᾱ·mu)/√(ᾱs² + 1 − ᾱ) is invariant. */
    @Test
    void deterministicSolversFollowTheProbabilityFlowOfGaussianData() {
        double mu = 0.3, s = 0.2;
        Denoiser d = new Fakes.GaussianData(mu, s, H, D);
        double a = acp(99);
        for (SolverKind kind : new SolverKind[] {SolverKind.DDIM, SolverKind.DPMSOLVER}) {
            Solver solver = kind.create(S, true);
            int k = kind == SolverKind.DDIM ? 100 : 50; // its last step jumps to the clean sample: keep it short
            float[] x = noise(21, N);
            double[] expected = new double[N];
            for (int j = 0; j < N; j++) expected[j] = mu + s * (x[j] - Math.sqrt(a) * mu) / Math.sqrt(a * s * s + 1 - a);
            solver.run(d, solver.timesteps(k), x, null, 1, new GaussianNoise(0), SampleConstraint.NONE);
            for (int j = 0; j < N; j++) assertEquals(expected[j], x[j], 0.02, kind + " j=" + j);
        }
    }

    @Test
    void ddpmSamplesGaussianDataWithItsMeanAndSpread() {
        double mu = 0.3, s = 0.2;
        int batch = 100; // 100 × 48 = 4800 samples
        Denoiser d = new Fakes.GaussianData(mu, s, H, D);
        Solver solver = SolverKind.DDPM.create(S, true);
        GaussianNoise rng = new GaussianNoise(2024);
        float[] x = new float[batch * N];
        rng.fill(x, 0, x.length);
        solver.run(d, solver.timesteps(100), x, null, batch, rng, SampleConstraint.NONE);
        double mean = 0, sq = 0;
        for (float v : x) mean += v;
        mean /= x.length;
        for (float v : x) sq += (v - mean) * (v - mean);
        double sd = Math.sqrt(sq / (x.length - 1));
        assertEquals(mu, mean, 4 * s / Math.sqrt(x.length));
        assertEquals(s, sd, 0.15 * s); // fixed_small slightly under-disperses; without noise sd would be ≈ 0
    }

    @Test
    void sameSeedSameSampleDifferentSeedDifferentSample() {
        Denoiser d = new Fakes.Affine(H, D);
        Solver solver = SolverKind.DDPM.create(S, true);
        float[][] out = new float[3][];
        long[] seeds = {4, 4, 5};
        for (int i = 0; i < 3; i++) {
            out[i] = noise(1, N);
            solver.run(d, solver.timesteps(100), out[i], null, 1, new GaussianNoise(seeds[i]), SampleConstraint.NONE);
        }
        assertArrayEquals(out[0], out[1]);
        assertFalse(Arrays.equals(out[0], out[2]));
    }

    @Test
    void constraintHoldsAtEveryDenoiserCallAndAtTheEnd() {
        Fakes.Recording d = new Fakes.Recording(new Fakes.Affine(H, D), 0);
        SampleConstraint pinFirstChannel = x -> {
            for (int h = 0; h < H; h++) x[h * D] = 0.25f;
        };
        for (SolverKind kind : SolverKind.values()) {
            d.inputs.clear();
            d.timesteps.clear();
            Solver solver = kind.create(S, true);
            float[] x = noise(8, N);
            solver.run(d, solver.timesteps(4), x, null, 1, new GaussianNoise(0), pinFirstChannel);
            assertEquals(4, d.inputs.size());
            for (float[] in : d.inputs) for (int h = 0; h < H; h++) assertEquals(0.25f, in[h * D]);
            for (int h = 0; h < H; h++) assertEquals(0.25f, x[h * D]);
            assertArrayEquals(solver.timesteps(4), d.timesteps.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    @Test
    void theDenoisingLoopDoesNotAllocateOnceWarm() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(mx.isThreadAllocatedMemorySupported());
        Denoiser d = new Fakes.Affine(H, D);
        for (SolverKind kind : SolverKind.values()) {
            Solver solver = kind.create(S, true);
            int[] ts = solver.timesteps(kind == SolverKind.DPMSOLVER ? 20 : 100);
            float[] x = noise(1, N);
            GaussianNoise rng = new GaussianNoise(3);
            for (int i = 0; i < 3; i++) solver.run(d, ts, x, null, 1, rng, SampleConstraint.NONE); // warm the buffers
            long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
            solver.run(d, ts, x, null, 1, rng, SampleConstraint.NONE);
            long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertTrue(allocated < 512, kind + " allocated " + allocated + " bytes in one run");
        }
    }
}
