package org.steppolicy.serve;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A robot's action stream: call {@link #tick} once per control period with the observation just taken and apply the
 * action it returns. The robot never waits for the policy.
 *
 * <p><b>Asynchronous</b> ({@link Mode#ASYNC}): the stream holds the current chunk's actions with the time each is
 * meant for. When at most {@link #lead()} of them remain (counting this tick's), it asks for the next chunk in the
 * background, with the observations taken since the previous request and the time of the newest; the lead is the
 * measured wait of recent replies in control periods plus a margin. When the reply comes, the stream switches to it
 * at the action whose time has come, dropping the ones whose time has passed (they were meant for ticks the old chunk
 * already served). Each request tells the server how many actions of the previous chunk had come due
 * ({@code executed_actions}): STEP shifts that chunk by this count for its warm start, not by Ta.
 *
 * <p><b>Synchronous</b> ({@link Mode#SYNC}, for comparison): the stream asks only when the chunk is used up, holds
 * the last action until the reply comes (the robot idles those ticks while the world goes on) and then executes all
 * Ta actions from that tick; the executed count is Ta.
 *
 * <p>Ticks with no action to execute are counted: {@link #idleTicks()} after the first chunk arrived, {@link
 * #startupTicks()} before it (the cold start, the same in both modes). An idle tick returns the last action again, or
 * null before the first. The clock is the caller's ({@code nowNs}, any epoch, one call per control period), so a
 * simulation can run it in simulated time. Not thread-safe: one control loop; requests run on the source's threads.
 *
 * <pre>{@code
 * try (PolicyClient c = PolicyClient.connect("127.0.0.1:50051");
 *      PolicyClient.Session s = c.openSession("step:2", Duration.ofMillis(100), 0L);
 *      ActionStream stream = new ActionStream(ActionStream.source(s), s.controlPeriodNs(), 2, ActionStream.Mode.ASYNC, 1)) {
 *     while (running) {
 *         long now = clock.waitForNextTick();
 *         double[] a = stream.tick(now, robot.observe());
 *         if (a != null) robot.send(a);
 *     }
 * }
 * }</pre>
 */
public final class ActionStream implements AutoCloseable {
    public enum Mode { SYNC, ASYNC }

    /** Where chunks come from: the policy server ({@link #source}), or an in-process policy in a simulation. */
    public interface ChunkSource {
        /**
         * Asks for a chunk. {@code observations}: those taken since the previous request (at most To, the newest
         * last), one per control period, the newest at {@code timeNs}; {@code executed}: the previous chunk's actions
         * whose time had come when the newest was taken (0 for the first request of an episode). Completes with the
         * Ta actions, action j meant for {@code timeNs + j·period}.
         */
        CompletableFuture<double[][]> request(double[][] observations, long timeNs, int executed);

        /** Frees what the source holds (a request thread). */
        default void close() {}
    }

    /** How many recent replies' waits the lead is the maximum of (an old slow one, like a cold start, ages out). */
    static final int LATENCY_WINDOW = 4;

    private final ChunkSource source;
    private final long period;
    private final int obsSteps;
    private final Mode mode;
    private final int margin;

    private final ArrayDeque<double[]> sinceRequest = new ArrayDeque<>();
    private final ArrayDeque<Integer> waits = new ArrayDeque<>();
    private double[][] actions = new double[0][];
    private long firstTime;      // the time action 0 of the current chunk is meant for
    private int next;            // the current chunk's next action
    private boolean started;     // a chunk has arrived since the episode began
    private CompletableFuture<double[][]> inFlight;
    private long requestTime;
    private double[] last;

    private long ticks, idleTicks, startupTicks, requests, dropped, executedSum;
    private int lastExecuted;

    /**
     * @param source   where chunks come from
     * @param periodNs the control period
     * @param obsSteps To: the newest this many observations since the previous request are sent
     * @param mode     asynchronous, or synchronous for comparison
     * @param margin   control periods added to the measured wait (jitter); the lead before any reply is measured
     */
    public ActionStream(ChunkSource source, long periodNs, int obsSteps, Mode mode, int margin) {
        if (periodNs <= 0 || obsSteps < 1 || margin < 0)
            throw new IllegalArgumentException("period " + periodNs + " ns, obsSteps " + obsSteps + ", margin " + margin);
        this.source = source;
        this.period = periodNs;
        this.obsSteps = obsSteps;
        this.mode = mode;
        this.margin = margin;
    }

    /** Chunks from a server session, each Act on a background thread of its own (closed with the stream). */
    public static ChunkSource source(PolicyClient.Session session) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "action-stream-" + session.id());
            t.setDaemon(true);
            return t;
        });
        return new ChunkSource() {
            @Override
            public CompletableFuture<double[][]> request(double[][] observations, long timeNs, int executed) {
                return CompletableFuture.supplyAsync(() -> session.act(observations, timeNs, false, false, executed).actions(), thread);
            }

            @Override
            public void close() { thread.shutdownNow(); }
        };
    }

    /**
     * A new episode (after the session's own reset): forgets the chunk, the observations and a request in flight
     * (its reply is ignored); keeps the measured waits.
     */
    public void reset() {
        if (inFlight != null) inFlight.cancel(false);
        inFlight = null;
        sinceRequest.clear();
        actions = new double[0][];
        next = 0;
        started = false;
        last = null;
    }

    /**
     * One control tick: {@code observation} was taken at {@code nowNs}. Returns the action to apply until the next
     * tick (the last one again on an idle tick; null before the first chunk). A failed request is thrown here
     * (the cause of the CompletionException), after which the next tick asks again.
     */
    public double[] tick(long nowNs, double[] observation) {
        ticks++;
        sinceRequest.addLast(observation.clone());
        while (sinceRequest.size() > obsSteps) sinceRequest.removeFirst();
        poll(nowNs);
        if (inFlight == null && remaining(nowNs) <= (mode == Mode.ASYNC ? lead() : 0)) {
            int executed = started ? (int) Math.max(1, Math.round((double) (nowNs - firstTime) / period)) : 0;
            lastExecuted = executed;
            if (started) executedSum += executed;
            requests++;
            requestTime = nowNs;
            inFlight = source.request(sinceRequest.toArray(new double[0][]), nowNs, executed);
            sinceRequest.clear();
            poll(nowNs);
        }
        skipStale(nowNs);
        if (next < actions.length && actions.length > 0) {
            last = actions[next++];
            return last;
        }
        if (started) idleTicks++;
        else startupTicks++;
        return last;
    }

    /** Switches to a reply that has come. */
    private void poll(long nowNs) {
        if (inFlight == null || !inFlight.isDone()) return;
        CompletableFuture<double[][]> f = inFlight;
        inFlight = null;
        double[][] chunk;
        try {
            chunk = f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        int wait = (int) Math.max(0, Math.round((double) (nowNs - requestTime) / period));
        waits.addLast(wait);
        while (waits.size() > LATENCY_WINDOW) waits.removeFirst();
        actions = chunk;
        next = 0;
        // Asynchronous: action j is meant for the request's time + j periods. Synchronous: executed from now on.
        firstTime = mode == Mode.ASYNC ? requestTime : nowNs;
        started = true;
    }

    /** Drops the current chunk's actions whose time has passed (more than half a period ago). */
    private void skipStale(long nowNs) {
        while (next < actions.length && firstTime + next * period < nowNs - period / 2) {
            next++;
            dropped++;
        }
    }

    /** Actions of the current chunk still to execute, this tick's included. */
    private int remaining(long nowNs) {
        skipStale(nowNs);
        return actions.length - next;
    }

    /**
     * How many actions may remain when the next chunk is asked for: the longest wait of the last
     * {@value #LATENCY_WINDOW} replies, in control periods (the ticks from a request to the tick that saw its reply),
     * plus the margin; the margin alone before any reply.
     */
    public int lead() {
        int max = 0;
        for (int w : waits) max = Math.max(max, w);
        return max + margin;
    }

    public Mode mode() { return mode; }

    /** Ticks so far. */
    public long ticks() { return ticks; }

    /** Ticks after the first chunk arrived with no action to execute (the robot held its last action). */
    public long idleTicks() { return idleTicks; }

    /** Ticks before the first chunk of an episode arrived. */
    public long startupTicks() { return startupTicks; }

    /** Requests sent. */
    public long requests() { return requests; }

    /** Actions dropped because their time had passed when their chunk arrived (or was still current). */
    public long droppedActions() { return dropped; }

    /** The sum of the executed counts sent (requests after the first of each episode). */
    public long executedSum() { return executedSum; }

    /** The executed count of the last request (0 for an episode's first). */
    public int lastExecuted() { return lastExecuted; }

    /** The waits of the last replies, in control periods, oldest first. */
    public int[] recentWaits() { return waits.stream().mapToInt(Integer::intValue).toArray(); }

    @Override
    public void close() {
        if (inFlight != null) inFlight.cancel(false);
        source.close();
    }

    @Override
    public String toString() {
        return "ActionStream[" + mode + ", lead " + lead() + ", waits " + Arrays.toString(recentWaits()) + "]";
    }
}
