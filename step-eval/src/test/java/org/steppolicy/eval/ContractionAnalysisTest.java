package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steppolicy.eval.ContractionAnalysis.Result;
import org.steppolicy.eval.ContractionAnalysis.Start;
import org.steppolicy.eval.ContractionAnalysis.StartResult;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.models.DiffusionSchedule;

/**
 * The analysis on data whose ideal noise predictor is known in closed form: clean chunks drawn from N(μ, s²·I), so
 * ε̂(x, t) = √(1−ᾱ)(x − √ᾱ μ)/(ᾱ s² + 1 − ᾱ) and every DDIM step is linear in x with a known slope. With s = 0 (a
 * point mass) every x̂0 is μ: all distances vanish. With s > 0 the contraction factor of a chain is the product of the
 * per-step slopes, computed here in double precision from the schedule.
 */
class ContractionAnalysisTest {
    static final PolicyShape SHAPE = new PolicyShape(2, 8, 16, 3, 2);
    static final SchedulerConfig SCHED = SchedulerConfig.diffusionPolicy();
    static final double MU = 0.1;

    /** The exact ε-predictor of N(μ, s²) data. */
    static Denoiser gaussian(double s, DiffusionSchedule sch) {
        return new Denoiser() {
            public int horizon() { return SHAPE.horizon(); }
            public int inputDim() { return SHAPE.actionDim(); }
            public int condDim() { return SHAPE.condDim(); }
            public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
                int per = SHAPE.chunkSize();
                for (int b = 0; b < batch; b++) {
                    double a = sch.alphaCumprod(t[b]);
                    for (int j = 0; j < per; j++) {
                        int p = b * per + j;
                        out[p] = (float) (Math.sqrt(1 - a) * (x[p] - Math.sqrt(a) * MU) / (a * s * s + 1 - a));
                    }
                }
            }
        };
    }

    /** A predictor that returns a constant chunk c. */
    static ChunkPredictor constant(float c) {
        return new ChunkPredictor() {
            public int horizon() { return SHAPE.horizon(); }
            public int actionDim() { return SHAPE.actionDim(); }
            public boolean usesPreviousChunk() { return true; }
            public void predict(float[] obs, float[] prev, int batch, float[] out) { java.util.Arrays.fill(out, 0, SHAPE.chunkSize(), c); }
        };
    }

    /** Pairs of windows whose previous window's actions ramp, so the shifted chunk is known. */
    static List<OfflineWindow[]> pairs(int count) {
        List<OfflineWindow[]> out = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            double[][] obs = {{k, 0, 0}, {k, 1, 0}};
            double[][] prevActs = new double[16][2], acts = new double[16][2];
            for (int h = 0; h < 16; h++) {
                prevActs[h][0] = 0.01 * h;
                prevActs[h][1] = -0.02 * h;
            }
            out.add(new OfflineWindow[] {new OfflineWindow(obs, prevActs), new OfflineWindow(obs, acts)});
        }
        return out;
    }

    static Result run(double s, int entry) {
        DiffusionSchedule sch = SCHED.noiseSchedule();
        var setup = new ContractionAnalysis.Setup(SHAPE, SCHED, LinearNormalizer.identity(3), LinearNormalizer.identity(2), gaussian(s, sch),
                constant(0.3f), null, entry, 0.05, 7);
        return new ContractionAnalysis(setup).run(pairs(3), null);
    }

    @Test
    void aPointMassIsReachedFromEveryStartAndNothingOfTheStartSurvives() {
        Result r = run(0, 50);
        assertEquals(List.of(Start.STEP, Start.TEMPORAL, Start.NOISE), r.starts().stream().map(StartResult::start).toList());
        for (StartResult sr : r.starts()) {
            // x̂0 = (x − √(1−ᾱ)ε̂)/√ᾱ magnifies float32 rounding by 1/√ᾱ near the top of the schedule (pure noise).
            double tol = sr.start() == Start.NOISE ? 1e-3 : 1e-5;
            for (double[] d : sr.distanceByStep()) for (double v : d) assertTrue(v < tol, sr.start() + " " + v);
            for (double v : sr.twoStepDistance()) assertTrue(v < 1e-5, sr.start() + " two-step " + v);
            for (double v : sr.twoStepContraction()) assertTrue(v < 1e-3, sr.start() + " contraction " + v);
        }
        // The estimates' own distances: the constant 0.3 against μ = 0.1, and the ramp shifted by Ta = 8 (edge-padded).
        assertEquals(0.2, r.starts().get(0).estimateDistance()[0], 1e-5);
        double s2 = 0;
        for (int h = 0; h < 16; h++) {
            int src = Math.min(h + 8, 15);
            s2 += Math.pow(0.01 * src - MU, 2) + Math.pow(-0.02 * src - MU, 2);
        }
        assertEquals(Math.sqrt(s2 / 32), r.starts().get(1).estimateDistance()[0], 1e-5);
        assertTrue(Double.isNaN(r.starts().get(2).estimateDistance()[0]));
        assertEquals(51, r.starts().get(0).timesteps().length);
        assertEquals(100, r.starts().get(2).timesteps().length);
    }

    /** The slope of the DDIM chain over the given timesteps for N(μ, s²) data, in double precision. */
    static double slope(double s, int[] steps, DiffusionSchedule sch) {
        double f = 1;
        for (int j = 0; j < steps.length; j++) {
            double a = sch.alphaCumprod(steps[j]), ap = j + 1 < steps.length ? sch.alphaCumprod(steps[j + 1]) : 1.0;
            double den = a * s * s + 1 - a;
            double dx0 = Math.sqrt(a) * s * s / den, deps = Math.sqrt(1 - a) / den;
            f *= Math.sqrt(ap) * dx0 + Math.sqrt(1 - ap) * deps;
        }
        return f;
    }

    @Test
    void contractionFactorsEqualTheClosedFormSlopes() {
        // Small enough that no x̂0 reaches the clip at ±1 (the solvers clip, the closed form does not).
        double s = 0.1;
        DiffusionSchedule sch = SCHED.noiseSchedule();
        for (int entry : new int[] {50, 20}) {
            Result r = run(s, entry);
            int[] single = new int[entry + 1];
            for (int i = 0; i <= entry; i++) single[i] = entry - i;
            double wantChain = slope(s, single, sch), wantTwo = slope(s, new int[] {entry, 0}, sch);
            int[] noiseSteps = new int[100];
            for (int i = 0; i < 100; i++) noiseSteps[i] = 99 - i;
            for (StartResult sr : r.starts()) {
                boolean noise = sr.start() == Start.NOISE;
                double chain = noise ? slope(s, noiseSteps, sch) : wantChain;
                double two = noise ? slope(s, new int[] {50, 0}, sch) : wantTwo;
                for (double v : sr.chainContraction()) assertEquals(chain, v, 2e-3 * Math.max(1, chain), sr.start() + " chain t=" + entry);
                for (double v : sr.twoStepContraction()) assertEquals(two, v, 2e-3 * Math.max(1, two), sr.start() + " two-step t=" + entry);
            }
            // Not a vacuous check: the two chains contract by different amounts.
            assertTrue(Math.abs(wantChain - wantTwo) > 0.01, wantChain + " vs " + wantTwo);
        }
    }
}
