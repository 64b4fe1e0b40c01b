package org.steppolicy.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Concurrent sessions' forwards batched into one model call give every session exactly the chunks it gets alone:
 * each session keeps its own noise, warm start and solver state, and the batch only stacks rows.
 */
class PolicyServerBatchingTest {
    // Every served method, twice for the warm-started one, each with its own seed: rows of different methods and
    // timesteps share batches.
    private static final List<String> METHODS = List.of("step:2", "ddim:2", "temporal:2", "falcon:2", "step:2", "temporal:2");
    private static final int CALLS = 6;

    @Test
    void batchedSessionsGetTheirUnbatchedChunks() throws Exception {
        List<List<double[]>> obs = new ArrayList<>();
        for (int k = 0; k < METHODS.size(); k++) obs.add(PolicyServerTest.observations(100 + k, CALLS));
        List<List<double[][]>> alone = new ArrayList<>();
        try (StepServedPolicy unbatched = TinyPolicy.served(1);
             PolicyServer server = PolicyServer.start(unbatched, ServeConfig.loopback(0));
             PolicyClient client = PolicyClient.connect(server.target())) {
            for (int k = 0; k < METHODS.size(); k++) alone.add(PolicyServerTest.alone(client, METHODS.get(k), 10 + k, obs.get(k)));
        }

        // One model instance and a generous window, so the six sessions of each round meet in batches.
        try (StepServedPolicy batched = TinyPolicy.batched(1, 8, Duration.ofMillis(50));
             PolicyServer server = PolicyServer.start(batched, ServeConfig.loopback(0))) {
            int n = METHODS.size();
            CyclicBarrier round = new CyclicBarrier(n);
            ExecutorService pool = Executors.newFixedThreadPool(n);
            try {
                List<Future<List<double[][]>>> got = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    int id = k;
                    got.add(pool.submit(() -> {
                        try (PolicyClient c = PolicyClient.connect(server.target());
                             PolicyClient.Session s = c.openSession(METHODS.get(id), null, 10L + id)) {
                            List<double[][]> out = new ArrayList<>();
                            for (int i = 0; i < CALLS; i++) {
                                round.await();
                                out.add(s.act(new double[][] {obs.get(id).get(i)}, i * s.controlPeriodNs(), false).actions());
                            }
                            return out;
                        }
                    }));
                }
                for (int k = 0; k < n; k++) PolicyServerTest.assertSame(alone.get(k), got.get(k).get(), "session " + k + " (" + METHODS.get(k) + ")");
            } finally {
                pool.shutdownNow();
            }
            BatchStats stats = batched.batchStats();
            assertTrue(stats.forwards() > 0);
            // Rows of different sessions did share forwards (else this test would compare unbatched calls only).
            assertTrue(stats.meanBatch() > 1.5, "mean batch " + stats.meanBatch() + " over " + stats.forwards() + " forwards");
        }
    }

    @Test
    void aLoneSessionRunsAtOnceWithoutWaitingForTheWindow() {
        // A window of 10 s: if a lone session's forward waited for it, six calls would take a minute.
        try (StepServedPolicy batched = TinyPolicy.batched(1, 8, Duration.ofSeconds(10))) {
            SessionPolicy s = batched.openSession("step:2");
            s.reset(3);
            List<double[]> obs = PolicyServerTest.observations(5, CALLS);
            org.steppolicy.data.ObservationHistory h = new org.steppolicy.data.ObservationHistory(2, 20);
            long t0 = System.nanoTime();
            for (double[] o : obs) {
                h.push(o);
                s.predictChunk(h.window(), 1, false);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 5, "six lone calls took " + seconds + " s");
            assertEquals(1.0, batched.batchStats().meanBatch(), 0.0);
        }
    }
}
