package org.steppolicy.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The action stream in a simulated clock: a fake source whose replies arrive a set number of ticks after the request. */
class ActionStreamTest {
    static final long P = 1_000L;
    static final int TA = 8;

    /** Action j of a chunk asked for at tick s is {s + j, request number}: the tick it is meant for, and its chunk. */
    static final class DelayedSource implements ActionStream.ChunkSource {
        final List<Integer> latencies; // per request; the last one repeats
        final List<long[]> requests = new ArrayList<>(); // {tick, executed, observations sent, first observation's tick}
        final List<CompletableFuture<double[][]>> replies = new ArrayList<>();
        final List<Long> due = new ArrayList<>();
        long now;

        DelayedSource(Integer... latencies) { this.latencies = List.of(latencies); }

        void advanceTo(long tick) {
            now = tick;
            for (int i = 0; i < replies.size(); i++) if (due.get(i) <= tick) replies.get(i).complete(chunk(i));
        }

        double[][] chunk(int i) {
            double[][] a = new double[TA][];
            for (int j = 0; j < TA; j++) a[j] = new double[] {requests.get(i)[0] + j, i};
            return a;
        }

        @Override
        public CompletableFuture<double[][]> request(double[][] observations, long timeNs, int executed) {
            assertEquals(now * P, timeNs, "the request carries the time of its newest observation");
            assertEquals(now, (long) observations[observations.length - 1][0], "the newest observation is this tick's");
            requests.add(new long[] {now, executed, observations.length, (long) observations[0][0]});
            CompletableFuture<double[][]> f = new CompletableFuture<>();
            replies.add(f);
            due.add(now + latencies.get(Math.min(replies.size() - 1, latencies.size() - 1)));
            advanceTo(now);
            return f;
        }
    }

    /** Runs {@code ticks} ticks; returns the action of each (null when none yet). Observation of tick t: {t}. */
    static List<double[]> run(ActionStream s, DelayedSource src, int ticks) {
        List<double[]> out = new ArrayList<>();
        for (long t = 0; t < ticks; t++) {
            src.advanceTo(t);
            out.add(s.tick(t * P, new double[] {t}));
        }
        return out;
    }

    @Test
    void asynchronousNeverIdlesAndExecutesEachTicksOwnAction() {
        for (int latency : new int[] {0, 1, 3, 4}) { // with Ta = 8 and one call in flight, L <= Ta / 2 never idles
            DelayedSource src = new DelayedSource(latency);
            ActionStream s = new ActionStream(src, P, 2, ActionStream.Mode.ASYNC, 0);
            List<double[]> got = run(s, src, 200);
            assertEquals(latency, s.startupTicks(), "L=" + latency + ": the first chunk's wait");
            assertEquals(0, s.idleTicks(), "L=" + latency + ": never idle once running");
            assertEquals(latency, s.lead(), "the lead is the measured wait");
            for (int t = latency; t < got.size(); t++)
                assertEquals(t, got.get(t)[0], 0.0, "L=" + latency + " tick " + t + ": the action meant for this tick");
            for (int t = 0; t < latency; t++) assertNull(got.get(t));
            // A call every Ta - L ticks, each telling the server Ta - L actions came due; the L stale ones are dropped.
            for (int i = 1; i < src.requests.size(); i++) {
                long[] r = src.requests.get(i), prev = src.requests.get(i - 1);
                int gap = TA - latency;
                assertEquals(gap, r[0] - prev[0], "L=" + latency + " request " + i);
                assertEquals(gap, r[1], "executed count of request " + i);
                assertEquals(Math.min(2, gap), r[2], "the To newest observations since the previous request");
            }
            assertEquals(0, src.requests.get(0)[1], "the first request has no previous chunk");
            // Switched at the right action: after the first reply, each tick's action comes from the newest chunk that
            // had arrived by then.
            for (int t = latency; t < got.size(); t++) {
                int newest = -1;
                for (int i = 0; i < src.requests.size(); i++) if (src.due.get(i) <= t) newest = i;
                assertEquals(newest, got.get(t)[1], 0.0, "L=" + latency + " tick " + t + " comes from the newest chunk");
            }
            long arrived = src.due.stream().filter(d -> d <= 199).count();
            assertEquals(latency * arrived, s.droppedActions(), "L=" + latency + ": each reply's first L actions were stale");
        }
    }

    @Test
    void synchronousIdlesTheLatencyOfEveryCallAndExecutesWholeChunks() {
        int latency = 3;
        DelayedSource src = new DelayedSource(latency);
        ActionStream s = new ActionStream(src, P, 2, ActionStream.Mode.SYNC, 0);
        List<double[]> got = run(s, src, 110); // 10 cycles of Ta + L
        assertEquals(latency, s.startupTicks());
        assertEquals(9 * latency, s.idleTicks());
        assertEquals(10, s.requests());
        assertEquals(0, s.droppedActions());
        for (int c = 0; c < 10; c++) {
            long[] r = src.requests.get(c);
            assertEquals(c * (TA + latency), r[0]);
            assertEquals(c == 0 ? 0 : TA, r[1], "synchronous: the whole chunk was executed");
            for (int j = 0; j < TA; j++) {
                double[] a = got.get((int) r[0] + latency + j);
                assertArrayEquals(new double[] {r[0] + j, c}, a, 0.0, "chunk " + c + " action " + j + " runs after the reply");
            }
            if (c > 0)
                for (int k = 0; k < latency; k++)
                    assertArrayEquals(got.get((int) r[0] - 1), got.get((int) r[0] + k), 0.0, "idle ticks hold the last action");
        }
    }

    @Test
    void aReplySlowerThanTheLeadIdlesThenDropsItsStaleActionsAndTheLeadGrows() {
        // Waits 1, 1, then one of 4 (over the lead of 1), then 1 again.
        DelayedSource src = new DelayedSource(1, 1, 4, 1);
        ActionStream s = new ActionStream(src, P, 2, ActionStream.Mode.ASYNC, 0);
        List<double[]> got = run(s, src, 40);
        // Request 0 at 0 (reply at 1), request 1 at 1 + 7 - 1 = 7 (lead 1; reply at 8), request 2 at 14 (reply at 18):
        // chunk 1 covers up to tick 14, so ticks 15, 16, 17 idle; at 18 chunk 2 starts at its action for tick 18.
        assertEquals(0, src.requests.get(0)[0]);
        assertEquals(7, src.requests.get(1)[0]);
        assertEquals(14, src.requests.get(2)[0]);
        assertEquals(3, s.idleTicks());
        for (int t = 15; t < 18; t++) assertArrayEquals(got.get(14), got.get(t), 0.0, "held");
        assertArrayEquals(new double[] {18, 2}, got.get(18), 0.0);
        // The slow wait raised the lead to 4: chunk 2 has 4 actions left (18..21), so request 3 goes out at once,
        // 4 periods after request 2; its reply (1 tick) switches at tick 19, and request 4 waits for 4 left (tick 22).
        assertEquals(18, src.requests.get(3)[0]);
        assertEquals(4, src.requests.get(3)[1]);
        assertEquals(22, src.requests.get(4)[0]);
        assertEquals(4, src.requests.get(4)[1]);
        for (int t = 18; t < got.size(); t++) assertEquals(t, got.get(t)[0], 0.0, "tick " + t);
        // After LATENCY_WINDOW quick replies the slow one has aged out: the lead is 1 again (request 7 at 37).
        assertEquals(1, s.lead());
        assertEquals(37, src.requests.get(7)[0]);
    }

    @Test
    void withoutLatencyBothModesAreTheSynchronousLoop() {
        for (ActionStream.Mode mode : ActionStream.Mode.values()) {
            DelayedSource src = new DelayedSource(0);
            ActionStream s = new ActionStream(src, P, 2, mode, 0);
            List<double[]> got = run(s, src, 64);
            assertEquals(0, s.idleTicks() + s.startupTicks());
            assertEquals(8, s.requests());
            for (int c = 0; c < 8; c++) {
                assertEquals(c * TA, src.requests.get(c)[0], mode + " request " + c);
                assertEquals(c == 0 ? 0 : TA, src.requests.get(c)[1]);
            }
            for (int t = 0; t < 64; t++) assertArrayEquals(new double[] {t, t / TA}, got.get(t), 0.0);
        }
    }

    @Test
    void resetForgetsTheChunkAndStartsOver() {
        DelayedSource src = new DelayedSource(2);
        ActionStream s = new ActionStream(src, P, 2, ActionStream.Mode.ASYNC, 1);
        run(s, src, 20);
        assertTrue(s.lead() == 3);
        s.reset();
        src.advanceTo(20);
        assertNull(s.tick(20 * P, new double[] {20}), "no chunk right after reset");
        long[] r = src.requests.get(src.requests.size() - 1);
        assertEquals(20, r[0]);
        assertEquals(0, r[1], "a new episode's first request");
        assertEquals(1, r[2]);
    }
}
