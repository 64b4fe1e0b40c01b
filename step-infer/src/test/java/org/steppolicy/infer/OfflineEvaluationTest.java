package org.steppolicy.infer;

import org.steppolicy.data.DatasetNormalizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflineEvaluationTest {
    static final PolicyShape SHAPE = ChunkPlannerTest.SHAPE; // To 2, Ta 3, H 8, Do 3, Da 2
    static final DatasetNormalizer NORM = ChunkPlannerTest.NORM;

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

    /** Demonstrations whose actions are exactly what the CondTarget denoiser produces: a perfect DP scores 0. */
    @Test
    void aPerfectDenoiserScoresZeroAndAPredictorItsOwnError() {
        List<List<OfflineWindow>> episodes = new ArrayList<>();
        for (int e = 0; e < 2; e++) {
            List<OfflineWindow> ep = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                double k = e * 10 + c;
                double[][] o = ChunkPlannerTest.window(k);
                double key = NORM.obs().normalize(0, o[1][0]);
                double[][] target = new double[SHAPE.horizon()][2];
                for (int i = 0; i < SHAPE.horizon(); i++)
                    for (int a = 0; a < 2; a++)
                        target[i][a] = NORM.action().unnormalize(a, (float) Fakes.CondTarget.target(i, a, key));
                ep.add(new OfflineWindow(o, target));
            }
            episodes.add(ep);
        }
        Denoiser dp = new Fakes.CondTarget(SHAPE, false);
        OfflineResult ddim = OfflineEvaluation.evaluate(m -> PolicyModels.withoutPredictor(SHAPE, dp, NORM),
                MethodSpec.parse("ddim:2").config(), episodes, 0);
        assertEquals("ddim:2", ddim.method());
        assertEquals(8, ddim.windows());
        assertEquals(2, ddim.episodes());
        assertEquals(0, ddim.mseChunk(), 1e-8);
        assertEquals(8, ddim.latency().calls());

        Fakes.Predictor pred = new Fakes.Predictor(SHAPE.horizon(), 2, true);
        OfflineResult alone = OfflineEvaluation.evaluate(m -> new PolicyModels(SHAPE, dp, NORM, pred, NORM),
                MethodSpec.parse("predictor").config(), episodes, 0);
        assertTrue(alone.mseChunk() > 1e-3, "the fake predictor is not the target: " + alone.mseChunk());
        assertEquals(2, alone.latency().coldCalls(), "one cold start per episode");
    }
}
