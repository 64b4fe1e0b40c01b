package org.steppolicy.sim;

import org.steppolicy.config.UserError;
import org.steppolicy.data.ObservationHistory;
import org.steppolicy.data.Percentile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Closed-loop Push-T evaluation with the reference runner's MultiStepWrapper semantics (docs/reference/pusht-env.md §E.4): the
 * observation history (To) is padded by repeating the first observation after reset, each policy call returns Ta
 * actions that run until the episode is done, and an episode ends at 300 env steps. Episodes run on a thread pool,
 * one env and one policy per thread; an episode depends only on its seed, so results do not depend on the thread
 * count.
 */
public final class Evaluator {
    /** One episode: the score is the max reward over its steps; latencies are per policy call, in nanoseconds. */
    public record Episode(long seed, double maxReward, boolean success, int steps, double finalCoverage,
                          long[] callLatencyNanos) {}

    /** All episodes, in seed order. */
    public record Result(List<Episode> episodes) {
        /** test/mean_score: the mean of the per-episode max reward. */
        public double meanScore() { return episodes.stream().mapToDouble(Episode::maxReward).average().orElse(0); }

        public double successRate() { return episodes.stream().filter(Episode::success).count() / (double) Math.max(1, episodes.size()); }

        /** The p-th percentile of all call latencies, in ms ({@link Percentile}'s definition); 0 without calls. */
        public double latencyPercentileMs(double p) {
            double[] ms = episodes.stream().flatMapToLong(e -> Arrays.stream(e.callLatencyNanos()))
                    .mapToDouble(n -> n / 1e6).sorted().toArray();
            return ms.length == 0 ? 0 : Percentile.ofSorted(ms, p);
        }

        public String summary() {
            return String.format(Locale.ROOT, "episodes %d, mean score %.4f, success %.1f%%, policy call latency p50 %.3f ms, p99 %.3f ms",
                    episodes.size(), meanScore(), 100 * successRate(), latencyPercentileMs(50), latencyPercentileMs(99));
        }
    }

    private final int nObsSteps;
    private final int maxSteps;
    private final PushTObservation observation;

    /** @param nObsSteps To (2 for Push-T); @param maxSteps episode length in env steps (300) */
    public Evaluator(int nObsSteps, int maxSteps) {
        this(nObsSteps, maxSteps, PushTObservation.KEYPOINTS);
    }

    /**
     * @param observation what the policy sees (keypoints, or rendered frames for image policies); it is computed
     *     only for the steps a policy call can read (the last To of each executed chunk), since rendering costs
     */
    public Evaluator(int nObsSteps, int maxSteps, PushTObservation observation) {
        this.observation = observation;
        if (nObsSteps < 1) throw new UserError("n_obs_steps must be >= 1, got " + nObsSteps);
        if (maxSteps < 1) throw new UserError("max_steps must be >= 1, got " + maxSteps);
        this.nObsSteps = nObsSteps;
        this.maxSteps = maxSteps;
    }

    /** The Push-T protocol: To = 2, 300 steps. */
    public static Evaluator pushT() { return new Evaluator(2, PushTSpec.MAX_STEPS); }

    /** Watches an episode step by step (e.g. to record video frames); called after reset and after every env step. */
    public interface StepWatcher { void onStep(PushTEnv env); }

    /** Runs episodes for seeds start .. start+n-1 on {@code threads} threads, each thread with its own policy. */
    public Result run(long startSeed, int n, int threads, Supplier<? extends ChunkPolicy> policies) {
        return run(startSeed, n, threads, policies, seed -> null);
    }

    /** As {@link #run(long, int, int, Supplier)}, with a watcher per seed (null for none). */
    public Result run(long startSeed, int n, int threads, Supplier<? extends ChunkPolicy> policies,
                      java.util.function.LongFunction<StepWatcher> watchers) {
        return run(startSeed, n, threads, policies, watchers, () -> false);
    }

    /**
     * As {@link #run(long, int, int, Supplier, java.util.function.LongFunction)}, stopping early once {@code stop} is
     * true: no episode starts after that, the ones running finish. Episodes are started in seed order, so the result
     * then holds the first k seeds (start .. start+k-1), each exactly as in an uninterrupted run.
     */
    public Result run(long startSeed, int n, int threads, Supplier<? extends ChunkPolicy> policies,
                      java.util.function.LongFunction<StepWatcher> watchers, java.util.function.BooleanSupplier stop) {
        if (n < 0) throw new UserError("number of episodes must be >= 0, got " + n);
        if (threads < 1) throw new UserError("threads must be >= 1, got " + threads);
        Episode[] out = new Episode[n];
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(threads, Math.max(1, n));
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                futures.add(pool.submit(() -> {
                    PushTEnv env = new PushTEnv();
                    ChunkPolicy policy = policies.get();
                    while (!stop.getAsBoolean()) {
                        int i = next.getAndIncrement();
                        if (i >= n) break;
                        out[i] = runEpisode(env, policy, startSeed + i, watchers.apply(startSeed + i));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("evaluation interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<Episode> done = new ArrayList<>();
        for (Episode e : out) {
            if (e == null) break;   // a stop: the started episodes are a prefix of the seeds, all finished
            done.add(e);
        }
        return new Result(List.copyOf(done));
    }

    /** One episode on the calling thread. */
    public Episode runEpisode(PushTEnv env, ChunkPolicy policy, long seed) {
        return runEpisode(env, policy, seed, null);
    }

    /** One episode on the calling thread, watched step by step when {@code watcher} is not null. */
    public Episode runEpisode(PushTEnv env, ChunkPolicy policy, long seed, StepWatcher watcher) {
        policy.reset(seed);
        env.reset(seed);
        if (watcher != null) watcher.onStep(env);
        double[] first = observation.observe(env);
        ObservationHistory history = new ObservationHistory(nObsSteps, first.length);
        history.push(first);
        List<Long> latencies = new ArrayList<>();
        double maxReward = Double.NEGATIVE_INFINITY;
        boolean success = false, done = false;
        int steps = 0;
        while (!done) {
            double[][] window = history.copy();
            long t0 = System.nanoTime();
            double[][] actions = policy.act(window);
            latencies.add(System.nanoTime() - t0);
            if (actions == null || actions.length == 0) throw new IllegalStateException("policy returned no actions for seed " + seed);
            for (int i = 0; i < actions.length; i++) {
                StepResult r = env.step(actions[i]);
                steps++;
                if (watcher != null) watcher.onStep(env);
                // only the last To observations of a chunk can reach the next call; the others stay unrendered
                if (i >= actions.length - nObsSteps) history.push(observation.observe(env));
                maxReward = Math.max(maxReward, r.reward());
                success |= r.done();
                done = r.done() || steps >= maxSteps;
                if (done) break;
            }
        }
        return new Episode(seed, maxReward, success, steps, env.coverage(), latencies.stream().mapToLong(Long::longValue).toArray());
    }

}
