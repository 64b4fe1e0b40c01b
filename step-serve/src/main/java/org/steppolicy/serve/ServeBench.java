package org.steppolicy.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.steppolicy.data.ObservationHistory;
import org.steppolicy.data.Percentile;
import org.steppolicy.infer.PolicyShape;

/**
 * {@code step bench serve}: the policy object called in-process, then the same policy through an in-process server on
 * 127.0.0.1 with one session and with N concurrent sessions (one client connection each, as N robots would have).
 * The in-process and one-session runs alternate (by default call by call), so a change in machine load hits both
 * alike and their p50 difference is the server's overhead. Call by call also keeps the in-process loop from being
 * scheduled as a CPU hog next to a request/response loop: on a shared machine a thread that never sleeps loses
 * its wake-up priority, and blocks of 200 back-to-back in-process calls measured slower than the same calls through
 * the server. Every run is bounded by a request count and a time limit.
 */
public final class ServeBench {

    /**
     * @param requests total timed Act calls of each run (split over the sessions of the concurrent one)
     * @param warmup   untimed calls per session first (the first is a warm-started method's cold start)
     * @param maxTime  limit of each run; a run cut short says so (requests done &lt; requests asked)
     * @param rounds   the in-process and one-session runs alternate in this many blocks; 0: call by call
     */
    public record Settings(String method, int sessions, int requests, int warmup, Duration maxTime, int rounds) {
        public Settings {
            if (sessions < 1 || requests < 1 || warmup < 1)
                throw new IllegalArgumentException("sessions, requests and warmup must be >= 1");
            if (rounds < 1 || rounds > requests) rounds = requests;
        }
    }

    /** One run: latencies per Act in ms (client round trip; for the in-process run the policy call). */
    public record Run(String name, int sessions, int requested, int completed, int errors, double p50Ms, double p99Ms,
                      double throughputPerS, double serverComputeP50Ms, double queuedP50Ms, double wallS) {}

    /** RSS and heap readings are taken after a full GC: at start (models loaded), after warm-up, after the runs. */
    public record Result(String method, List<Run> runs, double overheadP50Ms, double throughputRatio, long rssStartKb,
                         long rssBeforeKb, long rssAfterKb, long heapBeforeKb, long heapAfterKb, String loadAverageStart, String loadAverageEnd, int cores,
                         String firstError, int maxBatch, double meanBatch) {
        public double rssGrowthMb() { return (rssAfterKb - rssBeforeKb) / 1024.0; }
    }

    private ServeBench() {}

    public static Result run(ServedPolicy policy, Settings s, Consumer<String> log) {
        String load0 = loadAverage();
        long rssStart = settledRssKb();
        String method = s.method() != null ? s.method() : policy.info().defaultMethod();
        PolicyShape shape = policy.info().shape();
        double[][] obs = observations(shape.obsDim(), 64);
        ServeConfig config = ServeConfig.loopback(0).withMaxSessions(s.sessions() + 1);
        List<Robot> robots = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(s.sessions());
        try (PolicyServer server = PolicyServer.start(policy, config);
             PolicyClient client = PolicyClient.connect(server.target());
             PolicyClient.Session session = client.openSession(method, null, 0L)) {
            SessionPolicy local = policy.openSession(method);
            local.reset(0);
            ObservationHistory history = new ObservationHistory(shape.obsSteps(), shape.obsDim());
            for (int k = 0; k < s.sessions(); k++) robots.add(new Robot(server.target(), method, k));
            // Each call sends one new observation taken one control period after the previous call's (the contract's
            // smallest correct request), so the server's history matches the in-process one.
            long period = session.controlPeriodNs();
            long calls = 0;
            // Warm every path and connection before the RSS baseline: first calls allocate runtime and transport
            // buffers and JIT-compile; what grows after that is what a long-running server would keep growing.
            for (int i = 0; i < s.warmup(); i++) {
                history.push(obs[i % obs.length]);
                local.predictChunk(history.window(), false);
                session.act(new double[][] {obs[i % obs.length]}, ++calls * period, false);
            }
            concurrent(robots, pool, obs, s.sessions() * s.warmup(), Duration.ofSeconds(60));
            long rssBefore = settledRssKb();
            long heapBefore = heapUsedKb();

            log.accept(String.format(Locale.ROOT, "in-process and 1 session: %d requests each, alternating in %d blocks, method %s",
                    s.requests(), s.rounds(), method));
            Samples inProc = new Samples(), one = new Samples();
            long deadline = System.nanoTime() + s.maxTime().toNanos();
            int perRound = Math.max(1, s.requests() / s.rounds());
            for (int r = 0; r < s.rounds() && System.nanoTime() < deadline; r++) {
                // Both paths see the same observation sequence.
                for (int i = 0; i < perRound && System.nanoTime() < deadline; i++) {
                    history.push(obs[(r * perRound + i) % obs.length]);
                    long t0 = System.nanoTime();
                    local.predictChunk(history.window(), false);
                    inProc.add(System.nanoTime() - t0, 0, 0);
                }
                for (int i = 0; i < perRound && System.nanoTime() < deadline; i++) {
                    long t0 = System.nanoTime();
                    try {
                        PolicyClient.ActResult a = session.act(new double[][] {obs[(r * perRound + i) % obs.length]}, ++calls * period, false);
                        one.add(System.nanoTime() - t0, a.computeNs(), a.queuedNs());
                    } catch (RuntimeException e) {
                        one.error(e);
                    }
                }
            }
            Run inRun = inProc.run("in-process policy", 1, perRound * s.rounds());
            Run oneRun = one.run("server", 1, perRound * s.rounds());
            log.accept(row(inRun));
            log.accept(row(oneRun));
            log.accept(String.format(Locale.ROOT, "%d sessions: %d requests", s.sessions(), s.requests()));
            BatchStats batches0 = policy.batchStats();
            Samples many = concurrent(robots, pool, obs, s.requests(), s.maxTime());
            BatchStats batches = batches0 == null ? null : policy.batchStats().since(batches0);
            Run manyRun = many.run("server", s.sessions(), s.requests());
            log.accept(row(manyRun));
            long rssAfter = settledRssKb();
            long heapAfter = heapUsedKb();
            String firstError = one.firstError != null ? one.firstError : many.firstError;
            return new Result(method, List.of(inRun, oneRun, manyRun), oneRun.p50Ms() - inRun.p50Ms(),
                    manyRun.throughputPerS() / oneRun.throughputPerS(), rssStart, rssBefore, rssAfter, heapBefore, heapAfter, load0,
                    loadAverage(), Runtime.getRuntime().availableProcessors(), firstError,
                    parseInt(policy.info().provenance().get("max_batch")),
                    batches == null ? 1.0 : batches.meanBatch());
        } finally {
            pool.shutdownNow();
            for (Robot r : robots) r.close();
        }
    }

    /** One simulated robot: its own connection and session, as N robots would have. */
    private static final class Robot implements AutoCloseable {
        final int id;
        final PolicyClient client;
        final PolicyClient.Session session;
        int next;

        Robot(String target, String method, int id) {
            this.id = id;
            this.client = PolicyClient.connect(target);
            this.session = client.openSession(method, null, (long) id);
        }

        PolicyClient.ActResult act(double[][] obs) {
            next++;
            return session.act(new double[][] {obs[(id + next) % obs.length]}, next * session.controlPeriodNs(), false);
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (RuntimeException ignored) {
                // the server may already be gone
            }
            client.close();
        }
    }

    /** Every robot calls in a loop until {@code requests} calls are done (or the time is up). */
    private static Samples concurrent(List<Robot> robots, ExecutorService pool, double[][] obs, int requests, Duration maxTime) {
        Samples out = new Samples();
        AtomicInteger left = new AtomicInteger(requests);
        CyclicBarrier start = new CyclicBarrier(robots.size(), out::start);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (Robot robot : robots) {
                fs.add(pool.submit(() -> {
                    start.await();
                    long deadline = System.nanoTime() + maxTime.toNanos();
                    while (left.getAndDecrement() > 0 && System.nanoTime() < deadline) {
                        long t0 = System.nanoTime();
                        try {
                            PolicyClient.ActResult a = robot.act(obs);
                            out.add(System.nanoTime() - t0, a.computeNs(), a.queuedNs());
                        } catch (RuntimeException e) {
                            out.error(e);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } catch (Exception e) {
            throw new IllegalStateException("bench client failed: " + e, e);
        }
        out.stop();
        return out;
    }

    /** Latencies of one run, thread-safe. */
    private static final class Samples {
        private final List<long[]> rows = new ArrayList<>();
        private int errors;
        private String firstError;
        private long startNanos = System.nanoTime(), endNanos;

        synchronized void start() { startNanos = System.nanoTime(); }

        synchronized void stop() { endNanos = System.nanoTime(); }

        synchronized void add(long roundTrip, long compute, long queued) {
            rows.add(new long[] {roundTrip, compute, queued});
        }

        synchronized void error(RuntimeException e) {
            errors++;
            if (firstError == null) firstError = e.toString();
        }

        synchronized Run run(String name, int sessions, int requested) {
            long[] rt = column(0), compute = column(1), queued = column(2);
            double busyS;
            if (endNanos > 0) {
                busyS = (endNanos - startNanos) / 1e9;
            } else {
                busyS = Arrays.stream(rt).sum() / 1e9; // sequential runs: the time spent in calls
            }
            boolean server = !name.startsWith("in-process");
            return new Run(name, sessions, requested, rt.length, errors, pct(rt, 50), pct(rt, 99), rt.length / busyS,
                    server ? pct(compute, 50) : Double.NaN, server ? pct(queued, 50) : Double.NaN, busyS);
        }

        private long[] column(int c) {
            return rows.stream().mapToLong(r -> r[c]).sorted().toArray();
        }
    }

    /** The p-th percentile of sorted nanoseconds, in ms: the project's one definition ({@link Percentile}). */
    static double pct(long[] sorted, double p) {
        return Percentile.ofSorted(Arrays.stream(sorted).mapToDouble(n -> n / 1e6).toArray(), p);
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static double[][] observations(int dim, int n) {
        SplittableRandom r = new SplittableRandom(1);
        double[][] o = new double[n][dim];
        for (double[] row : o) for (int d = 0; d < dim; d++) row[d] = 512 * r.nextDouble();
        return o;
    }

    /**
     * VmRSS after a full GC, kB: without the GC the reading mostly tracks how much of its (large, lazily touched) heap
     * the JVM has happened to use so far, not what the server retains.
     */
    static long settledRssKb() {
        System.gc();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return rssKb();
    }

    /** Heap in use (after {@link #settledRssKb}'s GC: the retained heap), kB. */
    static long heapUsedKb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / 1024;
    }

    /** VmRSS of this process (server and bench clients share it), kB; -1 where /proc is missing. */
    static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    public static String header() {
        return "| run | sessions | requests done / asked | errors | p50 ms | p99 ms | throughput Act/s | server compute p50 ms | queued p50 ms |\n"
                + "|---|---|---|---|---|---|---|---|---|";
    }

    public static String row(Run r) {
        return String.format(Locale.ROOT, "| %s | %d | %d / %d | %d | %.3f | %.3f | %.1f | %s | %s |", r.name(), r.sessions(),
                r.completed(), r.requested(), r.errors(), r.p50Ms(), r.p99Ms(), r.throughputPerS(),
                Double.isNaN(r.serverComputeP50Ms()) ? "-" : String.format(Locale.ROOT, "%.3f", r.serverComputeP50Ms()),
                Double.isNaN(r.queuedP50Ms()) ? "-" : String.format(Locale.ROOT, "%.3f", r.queuedP50Ms()));
    }

    /** The table and the summary lines. */
    public static String markdown(Result r) {
        StringBuilder b = new StringBuilder(header()).append('\n');
        for (Run run : r.runs()) b.append(row(run)).append('\n');
        b.append(String.format(Locale.ROOT, "%nmethod %s; server overhead at p50: %.3f ms; throughput %d sessions / 1 session: %.2fx;%n",
                r.method(), r.overheadP50Ms(), r.runs().get(2).sessions(), r.throughputRatio()));
        b.append(r.maxBatch() > 1
                ? String.format(Locale.ROOT, "forwards of concurrent sessions batched (up to %d rows): %.2f rows per forward in the %d-session run;%n",
                        r.maxBatch(), r.meanBatch(), r.runs().get(2).sessions())
                : "no batching: every session's forward runs alone;\n");
        b.append(String.format(Locale.ROOT, "RSS after a full GC: %.1f MB at start, %.1f MB after warm-up, %.1f MB after the runs (growth %.1f MB); heap in use %.1f -> %.1f MB;%n",
                r.rssStartKb() / 1024.0, r.rssBeforeKb() / 1024.0, r.rssAfterKb() / 1024.0, r.rssGrowthMb(),
                r.heapBeforeKb() / 1024.0, r.heapAfterKb() / 1024.0));
        b.append(String.format(Locale.ROOT, "load average %s at start, %s at end (%d cores)%n", r.loadAverageStart(), r.loadAverageEnd(), r.cores()));
        if (r.firstError() != null) b.append("first error: ").append(r.firstError()).append('\n');
        return b.toString();
    }

    public static void writeJson(Result r, Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) Files.createDirectories(file.toAbsolutePath().getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
