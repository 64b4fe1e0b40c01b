package org.steppolicy.infer;

import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkPlannerTest {
    static final PolicyShape SHAPE = new PolicyShape(2, 3, 8, 3, 2);
    static final DatasetNormalizer NORM = new DatasetNormalizer(
            LinearNormalizer.affine(new float[] {0.01f, 0.02f, 0.5f}, new float[] {-1f, 0.2f, 0f}),
            LinearNormalizer.affine(new float[] {0.004f, 0.0041f}, new float[] {-1.05f, -1.1f}));

    static double[] obs(double k) {
        return new double[] {100 + 7 * k, 10 - k, 0.3 * k};
    }

    static double[][] window(double k) {
        return new double[][] {obs(k - 1), obs(k)};
    }

    static EngineEpisode episode(String spec, Denoiser dp, ChunkPredictor pred) {
        return new EngineEpisode(new ChunkPlanner(new PolicyModels(SHAPE, dp, NORM, pred, pred == null ? null : NORM), MethodSpec.parse(spec).config()));
    }

    static EngineEpisode episode(MethodConfig cfg, Denoiser dp, ChunkPredictor pred) {
        return new EngineEpisode(new ChunkPlanner(new PolicyModels(SHAPE, dp, NORM, pred, pred == null ? null : NORM), cfg));
    }

    /** The executed actions the CondTarget denoiser leads to, raw. */
    static double[][] expectedTargetActions(double[] currentObs) {
        double key = NORM.obs().normalize(0, currentObs[0]);
        double[][] out = new double[SHAPE.actionSteps()][SHAPE.actionDim()];
        for (int i = 0; i < out.length; i++)
            for (int a = 0; a < SHAPE.actionDim(); a++)
                out[i][a] = NORM.action().unnormalize(a, (float) Fakes.CondTarget.target(SHAPE.firstExecuted() + i, a, key));
        return out;
    }

    static void assertActions(double[][] expected, double[][] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertArrayEquals(expected[i], actual[i], tol, "row " + i);
    }

    @Test
    void coldMethodsExecuteIndicesToMinusOneOnwardUnnormalised() {
        for (String spec : new String[] {"ddim:2", "ddim:10", "dpmsolver:2", "dpmsolver:5", "ddpm:100"}) {
            EngineEpisode r = episode(spec, new Fakes.CondTarget(SHAPE, false), null);
            r.reset(1);
            for (int k = 1; k < 4; k++) assertActions(expectedTargetActions(obs(k)), r.act(window(k)), 0.02);
        }
    }

    @Test
    void inpaintingPinsTheObservedChannelsAndReturnsTheActionChannels() {
        Fakes.CondTarget inner = new Fakes.CondTarget(SHAPE, true);
        Fakes.Recording dp = new Fakes.Recording(inner, 0);
        for (String spec : new String[] {"ddim:4", "ddpm:20", "step:2", "temporal:2:fine"}) {
            dp.inputs.clear();
            Fakes.Predictor pred = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), true);
            EngineEpisode r = episode(spec, dp, spec.startsWith("step") ? pred : null);
            r.reset(3);
            for (int k = 1; k < 4; k++) {
                double[][] w = window(k);
                assertActions(expectedTargetActions(obs(k)), r.act(w), 0.02);
                float[] seen = dp.inputs.get(dp.inputs.size() - 1);
                for (int h = 0; h < SHAPE.obsSteps(); h++)
                    for (int c = 0; c < SHAPE.obsDim(); c++)
                        assertEquals(NORM.obs().normalize(c, w[h][c]), seen[h * 5 + 2 + c], 0f, spec + " h=" + h + " c=" + c);
            }
        }
    }

    @Test
    void sameSeedSameActionsDifferentSeedDifferentActions() {
        List<List<double[][]>> runs = new ArrayList<>();
        EngineEpisode r = episode("ddpm:10", new Fakes.Recording(new Fakes.Affine(SHAPE.horizon(), SHAPE.actionDim()), SHAPE.condDim()), null);
        for (long seed : new long[] {42, 42, 43}) {
            r.reset(seed);
            List<double[][]> episode = new ArrayList<>();
            for (int k = 1; k < 4; k++) episode.add(r.act(window(k)));
            runs.add(episode);
        }
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < SHAPE.actionSteps(); i++) {
                assertArrayEquals(runs.get(0).get(k)[i], runs.get(1).get(k)[i], 0.0);
            }
        }
        assertFalse(java.util.Arrays.equals(runs.get(0).get(0)[0], runs.get(2).get(0)[0]));
    }

    @Test
    void stepColdStartsThenWarmStartsFromThePredictorOnTheCachedChunk() {
        Fakes.Recording dp = new Fakes.Recording(new Fakes.CondTarget(SHAPE, false), SHAPE.condDim());
        Fakes.Predictor pred = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), true);
        EngineEpisode r = episode("step:2", dp, pred);
        r.reset(9);
        r.act(window(1));
        assertTrue(r.lastLatency().coldStart());
        assertEquals(100, dp.timesteps.size(), "cold start is the full DDPM chain");
        assertEquals(99, dp.timesteps.get(0));
        assertEquals(0, pred.obsSeen.size());
        float[] first = new float[SHAPE.chunkSize()];
        r.lastChunk(first);

        dp.timesteps.clear();
        r.act(window(2));
        assertFalse(r.lastLatency().coldStart());
        assertEquals(List.of(50, 0), dp.timesteps, "strided warm start: DDIM timesteps of 2 steps");
        assertEquals(1, pred.obsSeen.size());
        assertArrayEquals(first, pred.prevSeen.get(0), "the predictor sees the previous chunk");
        assertEquals(NORM.obs().normalize(0, obs(2)[0]), pred.obsSeen.get(0)[3], 0f);
        assertTrue(r.lastLatency().predictorNanos() > 0);
        assertTrue(r.lastLatency().diffusionNanos() > 0);

        r.reset(9);
        dp.timesteps.clear();
        r.act(window(1));
        assertTrue(r.lastLatency().coldStart(), "reset empties the cache");
    }

    @Test
    void fineWarmStartFeedsThePredictionItselfWhenMoving() {
        Fakes.Recording dp = new Fakes.Recording(new Fakes.CondTarget(SHAPE, false), SHAPE.condDim());
        Fakes.Predictor pred = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), true);
        EngineEpisode r = episode("step:2:fine", dp, pred);
        r.reset(1);
        r.act(window(1));
        float[] cached = new float[SHAPE.chunkSize()];
        r.lastChunk(cached);
        dp.inputs.clear();
        dp.timesteps.clear();
        r.act(window(2));
        assertEquals(List.of(1, 0), dp.timesteps);
        float[] start = dp.inputs.get(0);
        float[] obsNorm = pred.obsSeen.get(0);
        for (int i = 0; i < SHAPE.chunkSize(); i++)
            assertEquals(Fakes.Predictor.value(true, obsNorm, cached, i), start[i], 0f, "σ=1, σ_t=0: x = Â");
    }

    @Test
    void stallAddsSigmaStallNoiseToTheWarmStart() {
        // A constant target makes consecutive chunks equal, i.e. a stall from the third call on.
        float[] target = new float[SHAPE.chunkSize()];
        for (int i = 0; i < target.length; i++) target[i] = 0.1f * (i % 5) - 0.2f;
        Fakes.ExactEpsilon inner = new Fakes.ExactEpsilon(target, SHAPE.horizon(), SHAPE.actionDim());
        Fakes.Recording dp = new Fakes.Recording(inner, SHAPE.condDim());
        Fakes.Predictor pred = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), true);
        EngineEpisode r = episode("step:2:fine", dp, pred);
        r.reset(5);
        r.act(window(1));
        r.act(window(2));
        assertFalse(r.lastLatency().stalled(), "one cached chunk: no stall test");
        dp.inputs.clear();
        r.act(window(3));
        assertTrue(r.lastLatency().stalled());
        assertEquals(0.0, r.lastLatency().velocityNorm(), 1e-4, "the call records the norm its stall test saw");
        float[] start = dp.inputs.get(0);
        float[] obsNorm = pred.obsSeen.get(pred.obsSeen.size() - 1);
        float[] prev = pred.prevSeen.get(pred.prevSeen.size() - 1);
        double sq = 0;
        for (int i = 0; i < SHAPE.chunkSize(); i++) {
            double d = start[i] - Fakes.Predictor.value(true, obsNorm, prev, i);
            sq += d * d;
        }
        double sd = Math.sqrt(sq / SHAPE.chunkSize());
        assertTrue(sd > 0.05 && sd < 0.16, "noise sd " + sd + " should be about σ_stall = 0.1");

        EngineEpisode off = episode("step:2:fine:noperturb", dp, pred);
        off.reset(5);
        for (int k = 1; k < 4; k++) off.act(window(k));
        assertFalse(off.lastLatency().stalled());
    }

    @Test
    void temporalStartsFromThePreviousChunkShiftedByTa() {
        Fakes.Recording dp = new Fakes.Recording(new Fakes.CondTarget(SHAPE, false), SHAPE.condDim());
        EngineEpisode r = episode("temporal:2:fine", dp, null);
        r.reset(2);
        r.act(window(1));
        assertTrue(r.lastLatency().coldStart());
        float[] prev = new float[SHAPE.chunkSize()];
        r.lastChunk(prev);
        dp.inputs.clear();
        r.act(window(2));
        float[] start = dp.inputs.get(0);
        int da = SHAPE.actionDim(), h = SHAPE.horizon(), ta = SHAPE.actionSteps();
        for (int i = 0; i < h; i++)
            for (int a = 0; a < da; a++)
                assertEquals(prev[Math.min(i + ta, h - 1) * da + a], start[i * da + a], 0f, "i=" + i);
        assertEquals(0, r.lastLatency().predictorNanos());
    }

    @Test
    void executedCountTaIsTodaysRouteBitForBit() {
        int ta = SHAPE.actionSteps();
        for (String spec : new String[] {"step:2", "temporal:2", "ddim:2"}) {
            Fakes.Predictor p1 = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), true);
            Fakes.Predictor p2 = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), true);
            boolean step = spec.startsWith("step");
            EngineEpisode a = episode(spec, new Fakes.CondTarget(SHAPE, false), step ? p1 : null);
            EngineEpisode b = episode(spec, new Fakes.CondTarget(SHAPE, false), step ? p2 : null);
            a.reset(4);
            b.reset(4);
            float[] ca = new float[SHAPE.chunkSize()], cb = new float[SHAPE.chunkSize()];
            for (int k = 1; k < 5; k++) {
                double[][] x = a.act(window(k)), y = b.act(window(k), ta);
                for (int i = 0; i < x.length; i++) assertArrayEquals(x[i], y[i], 0.0, spec + " call " + k);
                a.lastChunk(ca);
                b.lastChunk(cb);
                assertArrayEquals(ca, cb, 0f, spec + " chunk " + k);
            }
        }
    }

    @Test
    void temporalStartShiftsThePreviousChunkByTheExecutedCount() {
        int da = SHAPE.actionDim(), h = SHAPE.horizon();
        for (int k : new int[] {1, 2, 5, 20}) {
            Fakes.Recording dp = new Fakes.Recording(new Fakes.CondTarget(SHAPE, false), SHAPE.condDim());
            EngineEpisode r = episode("temporal:2:fine", dp, null);
            r.reset(2);
            r.act(window(1));
            float[] prev = new float[SHAPE.chunkSize()];
            r.lastChunk(prev);
            dp.inputs.clear();
            r.act(window(2), k);
            float[] start = dp.inputs.get(0);
            // By hand: k actions of the previous chunk have passed; the rest moves to the front, the last repeats.
            float[] want = new float[SHAPE.chunkSize()];
            for (int i = 0; i < h; i++) {
                int src = i + k < h ? i + k : h - 1;
                want[i * da] = prev[src * da];
                want[i * da + 1] = prev[src * da + 1];
            }
            assertArrayEquals(want, start, 0f, "k=" + k);
        }
    }

    @Test
    void stepPredictorSeesThePreviousChunkRealignedToTaStepsBack() {
        int da = SHAPE.actionDim(), h = SHAPE.horizon(), ta = SHAPE.actionSteps();
        for (int k : new int[] {1, 2, 3, 5}) {
            Fakes.Predictor pred = new Fakes.Predictor(h, da, true);
            EngineEpisode r = episode("step:2", new Fakes.CondTarget(SHAPE, false), pred);
            r.reset(9);
            r.act(window(1));
            float[] prev = new float[SHAPE.chunkSize()];
            r.lastChunk(prev);
            r.act(window(2), k);
            float[] seen = pred.prevSeen.get(0);
            for (int i = 0; i < h; i++) {
                int src = Math.max(0, Math.min(i + k - ta, h - 1));
                for (int a = 0; a < da; a++) assertEquals(prev[src * da + a], seen[i * da + a], 0f, "k=" + k + " i=" + i);
            }
            if (k == ta) assertArrayEquals(prev, seen, 0f);
        }
        EngineEpisode r = episode("step:2", new Fakes.CondTarget(SHAPE, false), new Fakes.Predictor(h, da, true));
        assertThrows(IllegalArgumentException.class, () -> r.act(window(1), 0));
    }

    @Test
    void predictorAloneExecutesItsChunkWithoutDiffusion() {
        Fakes.Recording dp = new Fakes.Recording(new Fakes.CondTarget(SHAPE, false), SHAPE.condDim());
        Fakes.Predictor pred = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), true);
        MethodConfig cfg = MethodSpec.parse("predictor").config(new InferenceSettings(WarmStartConfig.defaults(),
                PerturbationConfig.paper(), new ColdStartConfig(SolverKind.DDIM, 4), SolverKind.DDIM, true));
        EngineEpisode r = episode(cfg, dp, pred);
        r.reset(0);
        r.act(window(1));
        assertEquals(4, dp.timesteps.size(), "configured cold start: DDIM-4");
        float[] prev = new float[SHAPE.chunkSize()];
        r.lastChunk(prev);
        double[][] out = r.act(window(2));
        assertEquals(4, dp.timesteps.size(), "no denoiser call after the cold start");
        float[] o = pred.obsSeen.get(0);
        for (int i = 0; i < SHAPE.actionSteps(); i++)
            for (int a = 0; a < 2; a++) {
                int idx = (SHAPE.firstExecuted() + i) * 2 + a;
                assertEquals(NORM.action().unnormalize(a, Fakes.Predictor.value(true, o, prev, idx)), out[i][a], 1e-9);
            }
    }

    @Test
    void spatialWarmStartsFromTheFirstCallWithoutTheCache() {
        Fakes.Recording dp = new Fakes.Recording(new Fakes.CondTarget(SHAPE, false), SHAPE.condDim());
        Fakes.Predictor pred = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), false);
        EngineEpisode r = episode("spatial:2", dp, pred);
        r.reset(0);
        assertActions(expectedTargetActions(obs(1)), r.act(window(1)), 0.02);
        assertFalse(r.lastLatency().coldStart());
        assertEquals(List.of(50, 0), dp.timesteps);
        assertEquals(1, pred.obsSeen.size());
        assertFalse(r.planner.method().perturbation().enabled());
    }

    @Test
    void warmStartSolverIsConfigurable() {
        Fakes.Recording dp = new Fakes.Recording(new Fakes.CondTarget(SHAPE, false), SHAPE.condDim());
        Fakes.Predictor pred = new Fakes.Predictor(SHAPE.horizon(), SHAPE.actionDim(), false);
        for (String spec : new String[] {"spatial:4:dpmsolver", "spatial:4:ddpm", "spatial:3:fine:dpmsolver"}) {
            EngineEpisode r = episode(spec, dp, pred);
            r.reset(0);
            dp.timesteps.clear();
            assertActions(expectedTargetActions(obs(1)), r.act(window(1)), 0.02);
            assertEquals(spec.contains("fine") ? List.of(2, 1, 0) : List.of(75, 50, 25, 0), dp.timesteps, spec);
        }
    }

    @Test
    void aWarmCallAllocatesOnlyItsResult() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        PolicyShape shape = PolicyShape.pushT();
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.identity(20), LinearNormalizer.identity(2));
        Denoiser dp = new Fakes.CondTarget(shape, true);
        ChunkPredictor pred = new ChunkPredictor() { // non-recording, non-allocating
            public int horizon() { return 16; }
            public int actionDim() { return 2; }
            public boolean usesPreviousChunk() { return true; }
            public void predict(float[] obs, float[] prev, int batch, float[] out) {
                for (int i = 0; i < out.length; i++) out[i] = 0.9f * prev[i];
            }
        };
        EngineEpisode r = new EngineEpisode(new ChunkPlanner(new PolicyModels(shape, dp, norm, pred, norm), MethodSpec.parse("step:10").config()));
        double[][] w = new double[2][20];
        r.reset(0);
        for (int i = 0; i < 50; i++) r.act(w);
        long before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        r.act(w);
        long allocated = mx.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        // 10 steps over a 16×22 trajectory: one float buffer per step would be 14 KB.
        assertTrue(allocated < 1500, "a warm call allocated " + allocated + " bytes");
    }

    @Test
    void latencySummaryUsesNumpyPercentilesOverSteadyCalls() {
        List<CallLatency> calls = new ArrayList<>();
        calls.add(new CallLatency(0, 900_000_000L, 1_000_000_000L, true, false));
        for (int i = 1; i <= 4; i++) calls.add(new CallLatency(i * 100_000L, i * 500_000L, i * 1_000_000L, false, i == 2));
        LatencySummary s = LatencySummary.of(calls);
        assertEquals(5, s.calls());
        assertEquals(1, s.coldCalls());
        assertEquals(1, s.stalledCalls());
        assertEquals(2.5, s.medianMs(), 1e-12);
        assertEquals(3.85, s.p95Ms(), 1e-12); // numpy.percentile([1,2,3,4], 95)
        assertEquals(0.25, s.predictorMedianMs(), 1e-12);
        assertEquals(1.25, s.diffusionMedianMs(), 1e-12);
        assertEquals((1000 + 1 + 2 + 3 + 4) / 5.0, s.meanAllMs(), 1e-9);
        assertNotEquals(0, LatencySummary.of(calls.subList(0, 1)).medianMs(), "all cold: the cold calls are the figure");
    }

    @Test
    void stallTestCountsTestedCallsAndSpreadsTheirNorms() {
        List<CallLatency> calls = new ArrayList<>();
        calls.add(new CallLatency(0, 1, 1, true, false));                 // cold start: no stall test
        calls.add(new CallLatency(0, 1, 1, false, false, Double.NaN));    // one cached chunk: no test
        for (int i = 1; i <= 5; i++) calls.add(new CallLatency(0, 1, 1, false, i == 1, i * 0.1));
        StallTest t = StallTest.of(calls);
        assertEquals(5, t.tested());
        assertEquals(1, t.fired());
        assertEquals(0.1, t.normMin(), 1e-12);
        assertEquals(0.3, t.normP50(), 1e-12);
        assertEquals(0.12, t.normP05(), 1e-12); // numpy.percentile([.1,.2,.3,.4,.5], 5)
        assertTrue(Double.isNaN(StallTest.of(calls.subList(0, 2)).normP50()), "never tested: no norms");
    }
}
