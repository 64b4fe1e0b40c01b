package org.steppolicy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steppolicy.data.DemoFile;

/** Rendered observations look like the recorded ones, and the evaluator hands them to the policy. */
class ImageObservationTest {

    @Test
    void resetObservationMatchesTheRecordedFirstFrame() {
        DemoFile f = DemoFile.open(TestData.require(TestData.IMAGE));
        try (f) {
            PushTEnv env = new PushTEnv();
            long seed = f.demoLongAttribute("demo_3", "seed").orElseThrow();
            env.reset(seed);
            ImageObservation o = new ImageObservation(84, 84);
            double[] obs = o.observe(env);
            assertEquals(2 + 3 * 84 * 84, obs.length);
            assertEquals(env.agentX(), obs[0], 0);
            byte[] rec = f.readFrames("demo_3", "image", 0, 1);
            double err = 0;
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 84; y++)
                    for (int x = 0; x < 84; x++) {
                        int recorded = rec[((y + 6) * 96 + x + 6) * 3 + c] & 0xFF;
                        err += Math.abs(obs[2 + (c * 84 + y) * 84 + x] * 255 - recorded);
                    }
            err /= 3 * 84 * 84;
            assertTrue(err < 4, "mean absolute error " + err + " levels against the recorded frame");
        }
    }

    @Test
    void evaluatorFeedsRenderedObservationsOnlyWhereAPolicyReadsThem() {
        ImageObservation o = new ImageObservation(84, 84);
        List<Integer> seen = new ArrayList<>();
        ChunkPolicy still = new ChunkPolicy() {
            @Override public void reset(long seed) {}

            @Override
            public double[][] act(double[][] history) {
                assertEquals(2, history.length);
                for (double[] h : history) seen.add(h.length);
                double[][] a = new double[8][];
                for (int i = 0; i < 8; i++) a[i] = new double[] {history[1][0], history[1][1]};
                return a;
            }
        };
        Evaluator.Episode e = new Evaluator(2, 24, o).runEpisode(new PushTEnv(), still, 7);
        assertEquals(24, e.steps());
        assertEquals(List.of(o.dim(), o.dim(), o.dim(), o.dim(), o.dim(), o.dim()), seen, "3 calls, 2 rendered steps each");
    }
}
