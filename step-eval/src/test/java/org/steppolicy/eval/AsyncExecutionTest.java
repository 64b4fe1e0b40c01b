package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.steppolicy.serve.ActionStream;
import org.steppolicy.sim.Evaluator;
import org.steppolicy.sim.PushTEnv;
import org.steppolicy.sim.ScriptedPolicy;

/** The async harness over the scripted pusher (no model): the Evaluator's loop at L = 0, no idle tick when async. */
class AsyncExecutionTest {
    /** The scripted pusher, recording the executed counts it is called with. */
    static final class Recording implements AsyncExecution.SimPolicy {
        final ScriptedPolicy inner = new ScriptedPolicy(8);
        final List<Integer> executed = new ArrayList<>();

        public void reset(long seed) { inner.reset(seed); }

        public double[][] act(double[][] window, int k) {
            executed.add(k);
            return inner.act(window);
        }
    }

    static final AsyncExecution.Settings S = AsyncExecution.Settings.pushT(List.of(0, 1, 3), 3, 100_000L, 1);

    @Test
    void withoutLatencyBothModesAreTheEvaluatorsClosedLoop() {
        PushTEnv env = new PushTEnv();
        for (long seed = 100_000L; seed < 100_003L; seed++) {
            Evaluator.Episode ref = Evaluator.pushT().runEpisode(env, new ScriptedPolicy(8), seed);
            for (ActionStream.Mode mode : ActionStream.Mode.values()) {
                Recording p = new Recording();
                AsyncExecution.Episode e = AsyncExecution.episode(env, p, seed, mode, 0, S);
                assertEquals(ref.maxReward(), e.score(), 0.0, mode + " seed " + seed);
                assertEquals(ref.steps(), e.ticks());
                assertEquals(0, e.idleTicks() + e.startupTicks());
                assertEquals(ref.callLatencyNanos().length, e.calls());
                assertTrue(p.executed.subList(1, p.executed.size()).stream().allMatch(k -> k == 8), "shift Ta: " + p.executed);
            }
        }
    }

    @Test
    void asynchronousNeverIdlesAndSynchronousIdlesTheLatencyOfEachCall() {
        PushTEnv env = new PushTEnv();
        for (int latency : new int[] {1, 3}) {
            Recording a = new Recording(), s = new Recording();
            AsyncExecution.Episode async = AsyncExecution.episode(env, a, 100_001L, ActionStream.Mode.ASYNC, latency, S);
            AsyncExecution.Episode sync = AsyncExecution.episode(env, s, 100_001L, ActionStream.Mode.SYNC, latency, S);
            assertEquals(0, async.idleTicks(), "L=" + latency);
            assertEquals(latency, async.startupTicks());
            assertEquals(latency, sync.startupTicks());
            // Every call after the first costs L idle ticks, except a last one the episode ended during.
            long calls = sync.calls();
            assertTrue(sync.idleTicks() <= latency * (calls - 1) && sync.idleTicks() > latency * (calls - 2), sync.toString());
            assertTrue(a.executed.subList(1, a.executed.size()).stream().allMatch(k -> k == 8 - latency), "L=" + latency + ": " + a.executed);
            assertTrue(s.executed.subList(1, s.executed.size()).stream().allMatch(k -> k == 8), "L=" + latency + ": " + s.executed);
        }
    }

    @Test
    void aRunGivesATableWithBothModesAtEveryLatency() {
        AsyncExecution.Result r = AsyncExecution.run(new AsyncExecution.Settings(List.of(0, 3), 2, 100_000L, 2, 0, 2, 60, List.of(ActionStream.Mode.values())),
                Recording::new, line -> {});
        assertEquals(4, r.rows().size());
        assertEquals(0, r.row(ActionStream.Mode.ASYNC, 3).idleTicks());
        assertTrue(r.row(ActionStream.Mode.SYNC, 3).idleTicks() > 0);
        assertEquals(r.row(ActionStream.Mode.SYNC, 0).score().mean(), r.row(ActionStream.Mode.ASYNC, 0).score().mean(), 0.0);
        assertEquals(0.0, r.pairedGain(0).mean(), 0.0);
        String md = AsyncExecution.markdown(r);
        assertTrue(md.contains("| async | 3 | 2 |"), md);
        assertTrue(md.contains("| sync | 0 | 2 |"), md);
    }
}
