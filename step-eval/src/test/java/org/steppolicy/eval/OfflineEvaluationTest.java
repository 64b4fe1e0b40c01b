package org.steppolicy.eval;

import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.models.DiffusionSchedule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineEvaluationTest {
    static final PolicyShape SHAPE = new PolicyShape(2, 3, 8, 3, 2); // To 2, Ta 3, H 8, Do 3, Da 2
    static final DatasetNormalizer NORM = new DatasetNormalizer(
            LinearNormalizer.affine(new float[] {0.01f, 0.02f, 0.5f}, new float[] {-1f, 0.2f, 0f}),
            LinearNormalizer.affine(new float[] {0.004f, 0.0041f}, new float[] {-1.05f, -1.1f}));
    static final DiffusionSchedule SCHEDULE = DiffusionSchedule.diffusionPolicy();

    /** The clean chunk the denoiser below leads to, a function of the newest observation's first (normalised) value. */
    static double target(int h, int c, double key) { return 0.6 * Math.sin(0.3 * h + c + key); }

    /** Returns the exact ε of {@link #target} for its conditioning, so every solver lands on the target. */
    static final class ExactTarget implements Denoiser {
        public int horizon() { return SHAPE.horizon(); }
        public int inputDim() { return SHAPE.actionDim(); }
        public int condDim() { return SHAPE.condDim(); }
        public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
            int n = SHAPE.horizon() * SHAPE.actionDim();
            for (int b = 0; b < batch; b++) {
                double a = SCHEDULE.alphaCumprod(t[b]);
                double key = cond[b * condDim() + (SHAPE.obsSteps() - 1) * SHAPE.obsDim()];
                for (int h = 0; h < SHAPE.horizon(); h++)
                    for (int c = 0; c < SHAPE.actionDim(); c++) {
                        int k = b * n + h * SHAPE.actionDim() + c;
                        out[k] = (float) ((x[k] - Math.sqrt(a) * target(h, c, key)) / Math.sqrt(1 - a));
                    }
            }
        }
    }

    /** A predictor that is not the target: half the previous chunk plus a fifth of the observation. */
    static final class HalfPrevious implements ChunkPredictor {
        public int horizon() { return SHAPE.horizon(); }
        public int actionDim() { return SHAPE.actionDim(); }
        public boolean usesPreviousChunk() { return true; }
        public void predict(float[] obs, float[] prev, int batch, float[] out) {
            for (int i = 0; i < batch * SHAPE.horizon() * SHAPE.actionDim(); i++) out[i] = 0.5f * prev[i] + 0.2f * obs[i % obs.length];
        }
    }

    static double[][] window(double k) {
        return new double[][] {{100 + 7 * (k - 1), 10 - (k - 1), 0.3 * (k - 1)}, {100 + 7 * k, 10 - k, 0.3 * k}};
    }

    @Test
    void windowsAreAlignedLikeTheSamplerAndEdgePadded() {
        int n = 7;
        float[][] obs = new float[n][3], act = new float[n][2];
        for (int t = 0; t < n; t++) {
            obs[t] = new float[] {t, 10 + t, 20 + t};
            act[t] = new float[] {100 + t, 200 + t};
        }
        List<OfflineWindow> w = OfflineWindow.ofEpisode(obs, act, SHAPE);
        assertEquals(3, w.size()); // t = 0, 3, 6
        assertArrayEquals(new double[][] {{0, 10, 20}, {0, 10, 20}}, w.get(0).obsHistory());
        assertArrayEquals(new double[] {100, 200}, w.get(0).targetActions()[0]); // index 0 ↔ t−1, edge-padded
        assertArrayEquals(new double[] {100, 200}, w.get(0).targetActions()[1]); // index To−1 ↔ t = 0
        assertArrayEquals(new double[] {102, 202}, w.get(0).targetActions()[3]);
        assertArrayEquals(new double[][] {{2, 12, 22}, {3, 13, 23}}, w.get(1).obsHistory());
        assertArrayEquals(new double[] {103, 203}, w.get(1).targetActions()[1]);
        assertArrayEquals(new double[] {106, 206}, w.get(2).targetActions()[1]);
        assertArrayEquals(new double[] {106, 206}, w.get(2).targetActions()[7], "edge padding at the end");
    }

    /** Demonstrations whose actions are exactly what the ExactTarget denoiser produces: a perfect DP scores 0. */
    @Test
    void aPerfectDenoiserScoresZeroAndAPredictorItsOwnError() {
        List<List<OfflineWindow>> episodes = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            List<OfflineWindow> ep = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                double k = e * 10 + c;
                double[][] o = window(k);
                double key = NORM.obs().normalize(0, o[1][0]);
                double[][] demo = new double[SHAPE.horizon()][2];
                for (int i = 0; i < SHAPE.horizon(); i++)
                    for (int a = 0; a < 2; a++)
                        demo[i][a] = NORM.action().unnormalize(a, (float) target(i, a, key));
                ep.add(new OfflineWindow(o, demo));
            }
            episodes.add(ep);
        }
        Denoiser dp = new ExactTarget();
        OfflineResult ddim = OfflineEvaluation.evaluate(m -> StepPolicy.open(x -> PolicyModels.withoutPredictor(SHAPE, dp, NORM), m),
                MethodSpec.parse("ddim:2").config(), episodes, 0);
        assertEquals("ddim:2", ddim.method());
        assertEquals(8, ddim.windows());
        assertEquals(2, ddim.episodes());
        assertEquals(0, ddim.mseChunk(), 1e-8);
        assertEquals(8, ddim.latency().calls());

        ChunkPredictor pred = new HalfPrevious();
        OfflineResult alone = OfflineEvaluation.evaluate(m -> StepPolicy.open(x -> new PolicyModels(SHAPE, dp, NORM, pred, NORM), m),
                MethodSpec.parse("predictor").config(), episodes, 0);
        assertTrue(alone.mseChunk() > 1e-3, "the fake predictor is not the target: " + alone.mseChunk());
        assertEquals(2, alone.latency().coldCalls(), "one cold start per episode");
    }
}
