package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.PredictorNetConfig.Kind;

class PredictorTrainerTest {
    private static final int T = 16, To = 2, Ta = 8, Do = 3, Da = 1;

    /**
     * Windows of straight-line action trajectories: offset c and slope k random per window. The observation shows the
     * offset c (plus noise) but nothing of the slope; the previous chunk (the same line, Ta steps earlier) shows both.
     */
    static WindowSource lines(int n, long seed) {
        float[][] obs = new float[n][T * Do], act = new float[n][T * Da], prev = new float[n][T * Da];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            double c = r.nextDouble() - 0.5, k = r.nextDouble() * 2 - 1;
            for (int t = 0; t < T; t++) {
                obs[i][t * Do] = (float) c;
                obs[i][t * Do + 1] = (float) (0.3 * (r.nextDouble() * 2 - 1));
                obs[i][t * Do + 2] = (float) (0.3 * (r.nextDouble() * 2 - 1));
                act[i][t] = (float) (c + k * (t - To + 1) / 16.0);
                prev[i][t] = (float) (c + k * (t - Ta - To + 1) / 16.0);
            }
        }
        return new ToyNets.ArrayWindows(T, Do, Da, obs, act, prev);
    }

    private static PredictorTrainSettings tiny(Kind kind, double dropout, int steps) {
        return PredictorTrainSettings.paper(kind).withNet(16, 2, 32, dropout, 1, 1).withSchedule(32, steps, 3e-3, 20, 50, steps);
    }

    @Test
    void spatiotemporalPredictorBeatsSpatialOnlyWhenTheNextChunkDependsOnThePreviousOne(@TempDir Path dir) {
        WindowSource train = lines(512, 1), valid = lines(128, 2);
        double[] val = new double[2];
        Kind[] kinds = {Kind.STEP, Kind.SPATIAL};
        for (int i = 0; i < 2; i++) {
            PredictorTrainSettings s = tiny(kinds[i], 0.0, 200);
            Trainer.Summary sum = new Trainer(new PredictorTask(s, train, valid, "{}"), s.trainerSettings(),
                    dir.resolve(kinds[i].id()), null).run(null);
            val[i] = sum.rows().get(sum.rows().size() - 1).valLoss();
        }
        System.out.printf("synthetic lines: validation MSE step %.4f, spatial %.4f%n", val[0], val[1]);
        double spatialFloor = 0.083; // E[k²]·mean_t((t−1)/16)²: what no observation-only model can beat
        assertTrue(val[1] > 0.8 * spatialFloor, "spatial-only cannot see the slope: " + val[1]);
        assertTrue(val[0] < 0.5 * val[1], "step " + val[0] + " vs spatial " + val[1]);
        // the temporal-only start (previous chunk shifted by Ta) is exact on lines except where it is held at the end
        assertTrue(PredictorTask.shiftedPreviousChunkMse(valid, Ta) < spatialFloor);
    }

    @Test
    void resumeWithDropoutIsExact(@TempDir Path dir) throws Exception {
        WindowSource train = lines(96, 3), valid = lines(32, 4);
        PredictorTrainSettings s = tiny(Kind.STEP, 0.1, 6).withSchedule(16, 6, 1e-3, 2, 3, 3);
        Trainer.Summary full = new Trainer(new PredictorTask(s, train, valid, "{}"), s.trainerSettings(), dir.resolve("a"), null).run(null);
        Path b = dir.resolve("b");
        new Trainer(new PredictorTask(s, train, valid, "{}"), s.trainerSettings(), b, null).run(null, 4);
        Trainer.Summary resumed = new Trainer(new PredictorTask(s, train, valid, "{}"), s.trainerSettings(), b, null).run(b);
        Checkpoint x = Checkpoint.load(full.lastCheckpoint()), y = Checkpoint.load(resumed.lastCheckpoint());
        assertEquals("predictor", x.kind());
        assertEquals(null, x.ema(), "no EMA for the predictor");
        for (String n : x.model().names()) assertArrayEquals(x.model().get(n).data(), y.model().get(n).data(), 0f, n);
        assertEquals("step", x.arch().get("kind"));
        assertEquals(s.netConfig(Do, Da), x.predictorConfig());
    }
}
