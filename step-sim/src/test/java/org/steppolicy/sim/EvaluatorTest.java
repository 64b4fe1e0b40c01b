package org.steppolicy.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Evaluator ev = Evaluator.pushT();
        Evaluator.Result one = ev.run(100000, 5, 1, () -> new ScriptedPolicy(8));
        Evaluator.Result three = ev.run(100000, 5, 3, () -> new ScriptedPolicy(8));
        assertEquals(5, one.episodes().size());
        for (int i = 0; i < 5; i++) {
            Evaluator.Episode a = one.episodes().get(i), b = three.episodes().get(i);
            assertEquals(100000 + i, a.seed());
            assertEquals(a.seed(), b.seed());
            assertEquals(a.maxReward(), b.maxReward(), 0.0, "seed " + a.seed());
            assertEquals(a.finalCoverage(), b.finalCoverage(), 0.0);
            assertEquals(a.steps(), b.steps());
            assertEquals(a.success(), b.success());
            assertEquals(a.callLatencyNanos().length, b.callLatencyNanos().length);
        }
        assertEquals(one.meanScore(), three.meanScore(), 0.0);
        assertTrue(one.meanScore() > 0.1, "the scripted pusher moves blocks onto the goal: " + one.summary());
    }

    /** MultiStepWrapper semantics: history padded with the first obs, Ta actions per call, 300 steps = 38 calls. */
    @Test
    void historyPaddingAndEpisodeLength() {
        List<double[][]> seen = new ArrayList<>();
        ChunkPolicy stayPut = new ChunkPolicy() {
            @Override
            public void reset(long seed) { seen.clear(); }

            @Override
            public double[][] act(double[][] h) {
                seen.add(h);
                double[] last = h[h.length - 1];
                double[][] out = new double[8][];
                for (int i = 0; i < 8; i++) out[i] = new double[] {last[18], last[19]};
                return out;
            }
        };
        PushTEnv env = new PushTEnv();
        Evaluator.Episode e = Evaluator.pushT().runEpisode(env, stayPut, 42);
        assertEquals(300, e.steps());
        assertEquals(38, e.callLatencyNanos().length);
        assertEquals(38, seen.size());
        double[][] first = seen.get(0);
        assertEquals(2, first.length);
        assertArrayEquals(first[0], first[1], 0.0);
        PushTEnv fresh = new PushTEnv();
        assertArrayEquals(fresh.reset(42), first[1], 0.0);
        // The second call sees the observations after steps 7 and 8.
        fresh.reset(42);
        double[] obs7 = null, obs8 = null;
        for (int k = 1; k <= 8; k++) {
            double[] o = fresh.step(new double[] {first[1][18], first[1][19]}).obs();
            if (k == 7) obs7 = o;
            if (k == 8) obs8 = o;
        }
        assertArrayEquals(obs7, seen.get(1)[0], 0.0);
        assertArrayEquals(obs8, seen.get(1)[1], 0.0);
    }

    @Test
    void latencyPercentiles() {
        Evaluator.Result r = new Evaluator.Result(List.of(
                new Evaluator.Episode(0, 0.5, false, 300, 0.4, new long[] {1_000_000, 3_000_000}),
                new Evaluator.Episode(1, 1.0, true, 20, 0.96, new long[] {2_000_000})));
        assertEquals(2.0, r.latencyPercentileMs(50), 1e-12);
        assertEquals(2.98, r.latencyPercentileMs(99), 1e-12); // numpy.percentile([1,2,3], 99)
        assertEquals(0.75, r.meanScore(), 1e-12);
        assertEquals(0.5, r.successRate(), 1e-12);
    }
}
