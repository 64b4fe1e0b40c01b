package org.steppolicy.infer;

import org.steppolicy.data.DatasetNormalizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * falcon:K against a double-precision reference written here from the algorithm (docs/falcon.md): on a closed-form
 * denoiser, call by call and on the same draws, the same decisions (exploration, candidates, passing, chosen latent and
 * its level, evaluations) and the same chunk.
 */
class FalconTest {
    static final PolicyShape SHAPE = ChunkPlannerTest.SHAPE;   // To 2, Ta 3, H 8, Do 3, Da 2
    static final DatasetNormalizer NORM = ChunkPlannerTest.NORM;
    static final double S = 0.4;                              // data spread of the toy posterior
    /** float32 production against the double reference: √ᾱ_99 ≈ 5e-4 magnifies rounding in x̂0 at the top of the chain (~2e-5). */
    static final double TOL = 5e-5;

    /** The clean mean the toy data is centred on: a wave that travels by Ta per call when key grows by 0.3·Ta. */
    static double mu(int h, int c, double key) { return 0.6 * Math.sin(0.3 * h + 1.3 * c + key); }

    /**
     * ε̂ = E[ε | x_t] for data x0 ~ N(mu(key), S²) per element: √(1−ᾱ)(x − √ᾱ·mu)/(ᾱS² + 1 − ᾱ), key the current frame's
     * first normalised observation. Its one-step clean estimate depends on x, so stored latents score differently.
     */
    static final class Posterior implements Denoiser {
        int batchedCalls;

        @Override public int horizon() { return SHAPE.horizon(); }
        @Override public int inputDim() { return SHAPE.actionDim(); }
        @Override public int condDim() { return SHAPE.condDim(); }

        @Override
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            if (batch > 1) batchedCalls++;
            int n = SHAPE.chunkSize();
            for (int b = 0; b < batch; b++) {
                double key = cond[b * SHAPE.condDim() + (SHAPE.obsSteps() - 1) * SHAPE.obsDim()];
                double[] xb = new double[n];
                for (int j = 0; j < n; j++) xb[j] = x[b * n + j];
                double[] e = eps(xb, t[b], key);
                for (int j = 0; j < n; j++) out[b * n + j] = (float) e[j];
            }
        }
    }

    static double acp(int t) { return Fakes.SCHEDULE.alphaCumprod(t); }

    static double[] eps(double[] x, int t, double key) {
        double a = acp(t);
        int da = SHAPE.actionDim();
        double[] e = new double[x.length];
        for (int j = 0; j < x.length; j++)
            e[j] = Math.sqrt(1 - a) * (x[j] - Math.sqrt(a) * mu(j / da, j % da, key)) / (a * S * S + 1 - a);
        return e;
    }

    /** The algorithm of docs/falcon.md in double, written without the production classes (bar the noise stream). */
    static final class Reference {
        record Entry(double[] x, int g, int call) {}

        record Outcome(int startT, boolean fromNoise, boolean explored, int candidates, int passed, int evals, double[] chunk) {}

        final FalconConfig f;
        final int[] grid;
        final boolean dpm, clip;
        final int h = SHAPE.horizon(), d = SHAPE.actionDim(), ta = SHAPE.actionSteps(), n = SHAPE.chunkSize();
        final List<Entry> buffer = new ArrayList<>();
        double[] prev;
        int call;

        Reference(FalconConfig f, int[] grid, boolean clip) {
            this.f = f;
            this.grid = grid;
            this.dpm = f.solver() == SolverKind.DPMSOLVER;
            this.clip = clip;
        }

        double clip(double v) { return clip ? Math.max(-1, Math.min(1, v)) : v; }

        Outcome step(double key, GaussianNoise rng) {
            call++;
            boolean explored = false;
            int candidates = 0, passed = 0, evals = 0, startG = 0;
            double[] x = null, firstEps = null;
            if (prev != null) {
                explored = rng.uniform() < f.delta();
                if (!explored) {
                    List<double[]> cx = new ArrayList<>();
                    List<Integer> cg = new ArrayList<>();
                    for (Entry e : buffer) {
                        int t = grid[e.g()];
                        if (t < f.kMin()) continue;
                        boolean shift = f.align() == FalconConfig.Align.SHIFT;
                        if (shift && e.call() != call - 1) continue;
                        double[] c = new double[n];
                        for (int row = 0; row < h; row++)
                            for (int k = 0; k < d; k++)
                                c[row * d + k] = !shift ? e.x()[row * d + k]
                                        : row + ta < h ? e.x()[(row + ta) * d + k]
                                        : Math.sqrt(acp(t)) * prev[(h - 1) * d + k] + Math.sqrt(1 - acp(t)) * rng.next();
                        cx.add(c);
                        cg.add(e.g());
                    }
                    candidates = cx.size();
                    if (candidates > 0) {
                        evals++;
                        List<double[]> ce = new ArrayList<>();
                        List<Integer> pass = new ArrayList<>();
                        for (int i = 0; i < candidates; i++) {
                            int t = grid[cg.get(i)];
                            double[] e = eps(cx.get(i), t, key);
                            ce.add(e);
                            double dist2 = 0;
                            for (int row = 0; row + ta < h; row++)
                                for (int k = 0; k < d; k++) {
                                    int j = row * d + k;
                                    double x0 = clip((cx.get(i)[j] - Math.sqrt(1 - acp(t)) * e[j]) / Math.sqrt(acp(t)));
                                    dist2 += Math.pow(x0 - prev[(row + ta) * d + k], 2);
                                }
                            if (Math.sqrt(dist2) < f.eps()) pass.add(i);
                        }
                        passed = pass.size();
                        if (passed > 0) {
                            double u = rng.uniform();
                            double total = 0;
                            for (int i : pass) total += Math.exp(-(grid[cg.get(i)] / 100.0) / f.temperature());
                            double cum = 0;
                            int chosen = pass.get(pass.size() - 1);
                            for (int i : pass) {
                                cum += Math.exp(-(grid[cg.get(i)] / 100.0) / f.temperature()) / total;
                                if (cum > u) { chosen = i; break; }
                            }
                            x = cx.get(chosen).clone();
                            firstEps = ce.get(chosen);
                            startG = cg.get(chosen);
                        }
                    }
                }
            }
            if (x == null) {
                x = new double[n];
                for (int j = 0; j < n; j++) x[j] = rng.next();
            }
            List<Entry> fresh = new ArrayList<>();
            double[] x0Prev = null;
            double lambdaPrev = 0;
            for (int g = startG; g < grid.length; g++) {
                int t = grid[g], next = g + 1 < grid.length ? grid[g + 1] : -1;
                if (g >= 1) fresh.add(new Entry(x.clone(), g, call));
                double[] e;
                if (g == startG && firstEps != null) e = firstEps;
                else { e = eps(x, t, key); evals++; }
                double at = acp(t), an = acp(next);
                double[] x0 = new double[n];
                for (int j = 0; j < n; j++) x0[j] = clip((x[j] - Math.sqrt(1 - at) * e[j]) / Math.sqrt(at));
                if (!dpm) {
                    // DDIM, η = 0: x_prev = √ᾱ_prev·x̂0 + √(1−ᾱ_prev)·ε̂
                    for (int j = 0; j < n; j++) x[j] = Math.sqrt(an) * x0[j] + Math.sqrt(1 - an) * e[j];
                } else {
                    // DPM-Solver++(2M): first order on a chain's first step, x̂0 itself on the last
                    double lambda = Math.log(Math.sqrt(at) / Math.sqrt(1 - at));
                    if (next < 0) {
                        x = x0.clone();
                    } else {
                        double lambdaN = Math.log(Math.sqrt(an) / Math.sqrt(1 - an)), hStep = lambdaN - lambda;
                        double[] dd = x0.clone();
                        if (x0Prev != null) {
                            double r = (lambda - lambdaPrev) / hStep;
                            for (int j = 0; j < n; j++) dd[j] = (1 + 1 / (2 * r)) * x0[j] - (1 / (2 * r)) * x0Prev[j];
                        }
                        for (int j = 0; j < n; j++)
                            x[j] = Math.sqrt(1 - an) / Math.sqrt(1 - at) * x[j] - Math.sqrt(an) * (Math.exp(-hStep) - 1) * dd[j];
                    }
                    x0Prev = x0;
                    lambdaPrev = lambda;
                }
            }
            buffer.addAll(fresh);
            while (buffer.size() > f.buffer()) {
                Entry worst = buffer.get(0);
                for (Entry e : buffer)
                    if (e.call() < worst.call() || (e.call() == worst.call() && e.g() < worst.g())) worst = e;
                buffer.remove(worst);
            }
            prev = x.clone();
            return new Outcome(grid[startG], firstEps == null, explored, candidates, passed, evals, x.clone());
        }
    }

    static double[] rawObs(double key) { return new double[] {(key + 1) / 0.01, 3, 4}; }

    /** A wave that moves with the chunk (small distances) and now and then a jump (large ones). */
    static double key(int k) {
        return 0.3 * SHAPE.actionSteps() * k + (k % 7 == 5 ? 1.1 : 0) + 0.05 * Math.sin(k);
    }

    record Run(int reuses, int explorations, int failedScorings, Set<Integer> levels) {}

    static Run compare(String spec, FalconConfig f, int[] expectedGrid, long seed, int calls) {
        InferenceSettings s = new InferenceSettings(WarmStartConfig.defaults(), PerturbationConfig.paper(),
                ColdStartConfig.defaults(), SolverKind.DDIM, null, f);
        MethodConfig cfg = MethodSpec.parse(spec).config(s);
        PolicyModels models = new PolicyModels(SHAPE, new Posterior(), NORM, null, null);
        EngineEpisode planner = new EngineEpisode(new ChunkPlanner(models, cfg));
        int[] grid = cfg.timesteps(Fakes.SCHEDULE);
        assertArrayEquals(expectedGrid, grid, spec + " grid");
        Reference ref = new Reference(cfg.falcon(), grid, models.scheduler().clipSample());
        GaussianNoise rng = new GaussianNoise(seed);
        planner.reset(seed);
        int reuses = 0, explorations = 0, failed = 0;
        Set<Integer> levels = new TreeSet<>();
        float[] chunk = new float[SHAPE.chunkSize()];
        double maxErr = 0;
        for (int k = 0; k < calls; k++) {
            double key = key(k);
            planner.act(new double[][] {rawObs(key(k - 1)), rawObs(key)});
            Reference.Outcome want = ref.step(NORM.obs().normalize(0, rawObs(key)[0]), rng);
            FalconSampler.Call got = planner.lastFalconCall();
            String at = spec + " call " + k;
            assertEquals(want.explored(), got.explored(), at + " explored");
            assertEquals(want.candidates(), got.candidates(), at + " candidates");
            assertEquals(want.passed(), got.passed(), at + " passed");
            assertEquals(want.fromNoise(), got.fromNoise(), at + " from noise");
            assertEquals(want.startT(), got.startTimestep(), at + " start level");
            assertEquals(want.evals(), got.evaluations(), at + " evaluations");
            planner.lastChunk(chunk);
            for (int j = 0; j < chunk.length; j++) {
                maxErr = Math.max(maxErr, Math.abs(want.chunk()[j] - chunk[j]));
                assertEquals(want.chunk()[j], chunk[j], TOL, at + " chunk[" + j + "]");
            }
            assertEquals(k == 0, planner.lastLatency().coldStart(), at + " cold");
            if (!got.fromNoise()) { reuses++; levels.add(got.startTimestep()); }
            if (got.explored()) explorations++;
            if (got.candidates() > 0 && got.passed() == 0) failed++;
        }
        System.out.println(spec + ": max |chunk - reference| = " + maxErr + ", " + new Run(reuses, explorations, failed, levels));
        return new Run(reuses, explorations, failed, levels);
    }

    @Test
    void dpmSolverHostMatchesTheReferenceCallByCall() {
        FalconConfig f = new FalconConfig(SolverKind.DPMSOLVER, 0.35, 0.15, 0.5, 10, 4, FalconConfig.Align.SHIFT);
        Run r = compare("falcon:4", f, new int[] {99, 74, 50, 25}, 11, 60);
        // The comparison covers every branch: reuse at more than one level, exploration, a failed scoring.
        assertTrue(r.reuses() > 10 && r.levels().size() >= 2 && r.explorations() > 0 && r.failedScorings() > 0, r.toString());
    }

    @Test
    void ddimHostWithoutAlignmentMatchesTheReferenceCallByCall() {
        FalconConfig f = new FalconConfig(SolverKind.DPMSOLVER, 1.2, 0.1, 0.5, 30, 5, FalconConfig.Align.NONE);
        Run r = compare("falcon:5:ddim", f, new int[] {80, 60, 40, 20, 0}, 5, 60);
        assertTrue(r.reuses() > 10 && r.levels().size() >= 2 && r.explorations() > 0 && r.failedScorings() > 0, r.toString());
    }

    @Test
    void falconTwoOnDpmSolverReusesItsOnlyPartialLatentAtOneEvaluation() {
        EngineEpisode planner = new EngineEpisode(new ChunkPlanner(new PolicyModels(SHAPE, new Posterior(), NORM, null, null),
                MethodSpec.parse("falcon:2").config()));
        planner.reset(3);
        int oneEval = 0;
        for (int k = 0; k < 40; k++) {
            planner.act(new double[][] {rawObs(0.9 * (k - 1)), rawObs(0.9 * k)});
            FalconSampler.Call c = planner.lastFalconCall();
            if (!c.fromNoise()) {
                assertEquals(50, c.startTimestep()); // DPM-Solver++-2's grid is 99, 50
                assertEquals(1, c.evaluations());   // the scoring output is the chain's only step
                oneEval++;
            } else {
                assertEquals(99, c.startTimestep());
            }
        }
        assertTrue(oneEval > 20, "reuses " + oneEval);
    }

    @Test
    void resetEmptiesTheBufferAndTheFirstCallStartsFromNoise() {
        Posterior dp = new Posterior();
        EngineEpisode planner = new EngineEpisode(new ChunkPlanner(new PolicyModels(SHAPE, dp, NORM, null, null), MethodSpec.parse("falcon:4").config()));
        planner.reset(1);
        assertNull(planner.lastFalconCall());
        for (int k = 0; k < 5; k++) planner.act(new double[][] {rawObs(0.9 * (k - 1)), rawObs(0.9 * k)});
        planner.reset(1);
        planner.act(new double[][] {rawObs(0), rawObs(0)});
        FalconSampler.Call c = planner.lastFalconCall();
        assertTrue(c.fromNoise() && !c.explored() && c.candidates() == 0, c.toString());
        assertTrue(planner.lastLatency().coldStart());
    }

    @Test
    void specsAndSettings() {
        MethodConfig two = MethodSpec.parse("falcon:2").config();
        assertEquals(Method.FALCON, two.method());
        assertEquals(SolverKind.DPMSOLVER, two.solver());
        assertEquals(FalconConfig.defaults(), two.falcon());
        MethodConfig ddim = MethodSpec.parse("falcon:3:ddim").config();
        assertEquals(SolverKind.DDIM, ddim.solver());
        assertEquals(SolverKind.DDIM, ddim.falcon().solver());
        assertArrayEquals(new int[] {66, 33, 0}, ddim.timesteps(Fakes.SCHEDULE));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("falcon:2:ddpm"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("falcon:2:fine"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("falcon:2:noperturb"));
        assertThrows(IllegalArgumentException.class, () -> MethodSpec.parse("falcon"));
        assertThrows(IllegalArgumentException.class, () -> new FalconConfig(SolverKind.DDIM, 0, 0.1, 0.1, 0, 1, FalconConfig.Align.SHIFT));
        assertThrows(IllegalArgumentException.class, () -> new FalconConfig(SolverKind.DDIM, 1, 1.5, 0.1, 0, 1, FalconConfig.Align.SHIFT));
        assertThrows(IllegalArgumentException.class, () -> new FalconConfig(SolverKind.DDIM, 1, 0.1, 0, 0, 1, FalconConfig.Align.SHIFT));
        assertThrows(IllegalArgumentException.class, () -> new FalconConfig(SolverKind.DDIM, 1, 0.1, 0.1, -1, 1, FalconConfig.Align.SHIFT));
        assertThrows(IllegalArgumentException.class, () -> new FalconConfig(SolverKind.DDIM, 1, 0.1, 0.1, 0, 0, FalconConfig.Align.SHIFT));
        assertThrows(IllegalArgumentException.class, () -> new FalconConfig(SolverKind.DDPM, 1, 0.1, 0.1, 0, 1, FalconConfig.Align.SHIFT));
        // the config's falcon_solver is the default host, the spec's solver wins
        InferenceSettings s = new InferenceSettings(WarmStartConfig.defaults(), PerturbationConfig.paper(), ColdStartConfig.defaults(),
                SolverKind.DDIM, null, FalconConfig.defaults().withSolver(SolverKind.DDIM));
        assertEquals(SolverKind.DDIM, MethodSpec.parse("falcon:2").config(s).solver());
        assertEquals(SolverKind.DPMSOLVER, MethodSpec.parse("falcon:2:dpmsolver").config(s).solver());
        assertNotNull(MethodSpec.parse("ddpm:100").config(s).falcon());
        assertFalse(Method.FALCON.usesPredictor());
    }
}
