package org.steppolicy.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.steppolicy.config.UserError;
import org.steppolicy.data.ObservationHistory;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.serve.ActionStream;
import org.steppolicy.sim.PushTEnv;
import org.steppolicy.sim.PushTObservation;
import org.steppolicy.sim.PushTSpec;
import org.steppolicy.sim.StepResult;

/**
 * Synchronous against asynchronous execution in the Push-T simulator, in simulated time: a policy call's
 * reply becomes available {@code L} control ticks after its request (L = 0, 1, 3, ...), deterministically, with no
 * real sleeping; the world steps on every tick whatever the policy does. Each tick runs step-serve's {@link
 * ActionStream} (the same class a robot uses against the server) over an in-process policy: synchronous, the robot
 * holds its last action for the L ticks of every call; asynchronous, the stream asks early (when at most its lead of
 * actions remain) and switches to the reply at the action whose time has come, and the policy's warm start shifts the
 * previous chunk by the actions that came due ({@link StepPolicy#predictChunk(double[][], int)}). Before an episode's
 * first chunk the agent is held where it is (the startup, the same in both modes, counted apart). With L = 0 both modes
 * are step for step the closed-loop {@code Evaluator}.
 */
public final class AsyncExecution {
    /** Simulated control period (the clock's unit; its value does not matter). */
    public static final long PERIOD_NS = 100_000_000L;

    /** A policy in simulated time: a chunk of Ta raw actions from the To-window, the previous chunk shifted by executed. */
    public interface SimPolicy {
        void reset(long seed);

        double[][] act(double[][] window, int executed);
    }

    /** The shipped policy's route: StepPolicy with the executed count. */
    public static SimPolicy of(StepPolicy p) {
        return of(p, false);
    }

    /**
     * As {@link #of(StepPolicy)}; with {@code shiftByTa} the policy ignores the executed count and shifts its previous
     * chunk by Ta (an ablation: what a server unaware of asynchronous execution would do).
     */
    public static SimPolicy of(StepPolicy p, boolean shiftByTa) {
        int ta = p.info().actionSteps();
        return new SimPolicy() {
            public void reset(long seed) { p.reset(seed); }

            public double[][] act(double[][] window, int executed) {
                return p.predictChunk(window, executed > 0 && !shiftByTa ? executed : ta);
            }
        };
    }

    /**
     * @param latencies policy latencies in control periods
     * @param episodes  episodes per (mode, latency), seeds startSeed ... startSeed + episodes - 1
     * @param margin    the asynchronous stream's margin over the measured wait (control periods)
     */
    public record Settings(List<Integer> latencies, int episodes, long startSeed, int threads, int margin, int obsSteps,
                           int maxSteps, List<ActionStream.Mode> modes) {
        public Settings {
            latencies = List.copyOf(latencies);
            modes = List.copyOf(modes);
            if (modes.isEmpty()) throw new UserError("no execution mode to run");
            if (latencies.isEmpty() || latencies.stream().anyMatch(l -> l < 0)) throw new UserError("latencies must be >= 0: " + latencies);
            if (episodes < 1) throw new UserError("episodes must be >= 1, got " + episodes);
            if (threads < 1) throw new UserError("threads must be >= 1, got " + threads);
            if (margin < 0) throw new UserError("margin must be >= 0, got " + margin);
        }

        public static Settings pushT(List<Integer> latencies, int episodes, long startSeed, int threads) {
            return new Settings(latencies, episodes, startSeed, threads, 0, 2, PushTSpec.MAX_STEPS, List.of(ActionStream.Mode.values()));
        }
    }

    /** One episode. Ticks and calls exclude nothing; idle ticks are after the first chunk, startup ticks before it. */
    public record Episode(long seed, double score, boolean success, int ticks, long idleTicks, long startupTicks,
                          long calls, long executedSum, long dropped) {}

    /** One (mode, latency): its episodes in seed order. */
    public record Row(ActionStream.Mode mode, int latency, List<Episode> episodes) {
        public BootstrapInterval score() { return BootstrapInterval.of(episodes.stream().map(Episode::score).toList()); }

        public double successRate() { return episodes.stream().filter(Episode::success).count() / (double) episodes.size(); }

        public long idleTicks() { return episodes.stream().mapToLong(Episode::idleTicks).sum(); }

        public long startupTicks() { return episodes.stream().mapToLong(Episode::startupTicks).sum(); }

        public long ticks() { return episodes.stream().mapToLong(Episode::ticks).sum(); }

        public long calls() { return episodes.stream().mapToLong(Episode::calls).sum(); }

        public long dropped() { return episodes.stream().mapToLong(Episode::dropped).sum(); }

        /** Mean executed count of the calls after each episode's first (the shift the warm start used). */
        public double meanExecuted() {
            long warm = calls() - episodes.size();
            return warm <= 0 ? Double.NaN : episodes.stream().mapToLong(Episode::executedSum).sum() / (double) warm;
        }
    }

    public record Result(Settings settings, List<Row> rows) {
        public Row row(ActionStream.Mode mode, int latency) {
            return rows.stream().filter(r -> r.mode() == mode && r.latency() == latency).findFirst().orElseThrow();
        }

        /** Asynchronous minus synchronous score over the same seeds, with its bootstrap interval. */
        public BootstrapInterval pairedGain(int latency) {
            List<Episode> a = row(ActionStream.Mode.ASYNC, latency).episodes(), s = row(ActionStream.Mode.SYNC, latency).episodes();
            List<Double> d = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) d.add(a.get(i).score() - s.get(i).score());
            return BootstrapInterval.of(d);
        }
    }

    private AsyncExecution() {}

    /** Every latency, synchronous then asynchronous; {@code policies} gives one policy per worker thread. */
    public static Result run(Settings s, Supplier<? extends SimPolicy> policies, Consumer<String> log) {
        List<Row> rows = new ArrayList<>();
        int workers = Math.min(s.threads(), s.episodes());
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<SimPolicy> perThread = new ArrayList<>();
        for (int w = 0; w < workers; w++) perThread.add(policies.get());
        try {
            for (int latency : s.latencies())
                for (ActionStream.Mode mode : s.modes()) {
                    long t0 = System.nanoTime();
                    Episode[] out = new Episode[s.episodes()];
                    AtomicInteger next = new AtomicInteger();
                    List<Future<?>> fs = new ArrayList<>();
                    for (SimPolicy p : perThread)
                        fs.add(pool.submit(() -> {
                            PushTEnv env = new PushTEnv();
                            for (int i = next.getAndIncrement(); i < out.length; i = next.getAndIncrement())
                                out[i] = episode(env, p, s.startSeed() + i, mode, latency, s);
                            return null;
                        }));
                    for (Future<?> f : fs) f.get();
                    Row r = new Row(mode, latency, List.of(out));
                    rows.add(r);
                    log.accept(String.format(Locale.ROOT, "%-5s L=%d: %d episodes, score %s, idle %d, calls %d (%.0f s)",
                            mode, latency, out.length, r.score().format(), r.idleTicks(), r.calls(), (System.nanoTime() - t0) / 1e9));
                }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Result(s, rows);
    }

    /** One episode on the calling thread. */
    public static Episode episode(PushTEnv env, SimPolicy policy, long seed, ActionStream.Mode mode, int latency, Settings s) {
        policy.reset(seed);
        env.reset(seed);
        PushTObservation observer = PushTObservation.KEYPOINTS;
        double[] obs = observer.observe(env);
        SimulatedSource source = new SimulatedSource(policy, s.obsSteps(), obs.length, latency);
        ActionStream stream = new ActionStream(source, PERIOD_NS, s.obsSteps(), mode, s.margin());
        double maxReward = Double.NEGATIVE_INFINITY;
        boolean success = false;
        int t = 0;
        while (true) {
            source.advanceTo(t);
            double[] a = stream.tick(t * PERIOD_NS, obs);
            if (a == null) a = new double[] {env.agentX(), env.agentY()}; // no chunk yet: stay put
            StepResult r = env.step(a);
            t++;
            maxReward = Math.max(maxReward, r.reward());
            success |= r.done();
            if (r.done() || t >= s.maxSteps()) break;
            obs = observer.observe(env);
        }
        stream.close();
        return new Episode(seed, maxReward, success, t, stream.idleTicks(), stream.startupTicks(), stream.requests(),
                stream.executedSum(), stream.droppedActions());
    }

    /**
     * The policy in simulated time: a request is computed at once and its reply released {@code latency} ticks later
     * (at once for 0). It keeps the To-history as the server does, pushing the observations each request carries.
     */
    static final class SimulatedSource implements ActionStream.ChunkSource {
        private final SimPolicy policy;
        private final ObservationHistory history;
        private final int latency;
        private final List<Pending> pending = new ArrayList<>();
        private long now;

        private record Pending(long due, CompletableFuture<double[][]> reply, double[][] chunk) {}

        SimulatedSource(SimPolicy policy, int obsSteps, int obsDim, int latency) {
            this.policy = policy;
            this.history = new ObservationHistory(obsSteps, obsDim);
            this.latency = latency;
        }

        /** The clock reaches {@code tick}: the replies due by then are released. */
        void advanceTo(long tick) {
            now = tick;
            for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (p.due() <= tick) {
                    p.reply().complete(p.chunk());
                    it.remove();
                }
            }
        }

        @Override
        public CompletableFuture<double[][]> request(double[][] observations, long timeNs, int executed) {
            for (double[] o : observations) history.push(o);
            double[][] chunk = policy.act(history.copy(), executed);
            CompletableFuture<double[][]> f = new CompletableFuture<>();
            if (latency == 0) {
                f.complete(chunk);
            } else {
                pending.add(new Pending(now + latency, f, chunk));
            }
            return f;
        }
    }

    /** The measurement table (markdown). */
    public static String markdown(Result r) {
        StringBuilder b = new StringBuilder();
        b.append("| execution | latency (periods) | episodes | mean score [95 % CI] | success | idle ticks / episode | "
                + "startup ticks / episode | calls / episode | mean executed count | stale actions dropped / episode |\n");
        b.append("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : r.rows()) {
            double n = row.episodes().size();
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %.0f %% | %.2f | %.1f | %.1f | %.2f | %.2f |\n",
                    row.mode() == ActionStream.Mode.SYNC ? "sync" : "async", row.latency(), row.episodes().size(),
                    row.score().format(), 100 * row.successRate(), row.idleTicks() / n, row.startupTicks() / n,
                    row.calls() / n, row.meanExecuted(), row.dropped() / n));
        }
        if (r.settings().modes().size() < 2) return b.toString();
        b.append("\n| latency (periods) | async − sync, paired over seeds [95 % CI] |\n|---:|---|\n");
        for (int l : r.settings().latencies())
            b.append(String.format(Locale.ROOT, "| %d | %s |\n", l, r.pairedGain(l).formatSigned()));
        return b.toString();
    }

    /** Per-episode results as JSON. */
    public static void writeJson(Result r, Path file) {
        StringBuilder b = new StringBuilder("{\"rows\": [\n");
        for (int i = 0; i < r.rows().size(); i++) {
            Row row = r.rows().get(i);
            BootstrapInterval ci = row.score();
            b.append(String.format(Locale.ROOT, "  {\"mode\": \"%s\", \"latency\": %d, \"mean_score\": %.6f, \"ci_lo\": %.6f, "
                            + "\"ci_hi\": %.6f, \"idle_ticks\": %d, \"startup_ticks\": %d, \"calls\": %d, \"ticks\": %d, \"episodes\": [",
                    row.mode().name().toLowerCase(Locale.ROOT), row.latency(), ci.mean(), ci.lo(), ci.hi(), row.idleTicks(),
                    row.startupTicks(), row.calls(), row.ticks()));
            for (int e = 0; e < row.episodes().size(); e++) {
                Episode ep = row.episodes().get(e);
                b.append(String.format(Locale.ROOT, "%s{\"seed\": %d, \"score\": %.6f, \"idle\": %d, \"calls\": %d}",
                        e == 0 ? "" : ", ", ep.seed(), ep.score(), ep.idleTicks(), ep.calls()));
            }
            b.append("]}").append(i + 1 < r.rows().size() ? ",\n" : "\n");
        }
        b.append("]}\n");
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
