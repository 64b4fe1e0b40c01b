package org.steppolicy.eval;

import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.policy.ModelSource;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.sim.ChunkPolicy;
import org.steppolicy.sim.Evaluator;
import org.steppolicy.sim.FrameState;
import org.steppolicy.sim.GifWriter;
import org.steppolicy.sim.PushTEnv;
import org.steppolicy.sim.PushTRenderer;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs every method over the same seeds in the Java Push-T simulator, in parallel, with one policy per thread, and
 * records videos of the first episodes. All methods share the trained DP behind the model source.
 */
public final class ClosedLoopEvaluation {
    /** One evaluation thread's policy: acts, reports its calls' latencies, frees what it opened. */
    public interface EvalPolicy extends ChunkPolicy, AutoCloseable {
        /** Every call so far, in call order. */
        List<CallLatency> latencies();

        @Override
        void close();
    }

    /** Opens one {@link EvalPolicy} per evaluation thread for a method: in-process runners, or sessions on a server. */
    public interface PolicySource {
        EvalPolicy open(MethodSpec spec, MethodConfig config);
    }

    private final PolicySource policies;
    private final InferenceSettings settings;
    private final Evaluator evaluator;
    private final int threads;

    /** In-process: a StepPolicy per thread over fresh runtime instances of the models. */
    public ClosedLoopEvaluation(ModelSource models, InferenceSettings settings, Evaluator evaluator, int threads) {
        this((spec, config) -> new RunnerPolicy(StepPolicy.open(models, config)), settings, evaluator, threads);
    }

    public ClosedLoopEvaluation(PolicySource policies, InferenceSettings settings, Evaluator evaluator, int threads) {
        this.policies = policies;
        this.settings = settings;
        this.evaluator = evaluator;
        this.threads = threads;
    }

    /**
     * Runs one method on seeds firstSeed .. firstSeed+n-1 on the calling thread, with one policy, and returns every
     * episode with its calls' latencies: the unit of work of a caller that parallelises itself (a sweep's Spark task).
     * Each episode depends only on its seed (the policy and the env are reset with it), so an episode's score equals
     * the one {@link #run} gives for the same seed.
     */
    public List<EpisodeResult> episodes(MethodSpec spec, long firstSeed, int n) {
        List<EpisodeResult> out = new ArrayList<>();
        try (EvalPolicy policy = policies.open(spec, spec.config(settings))) {
            PushTEnv env = new PushTEnv();
            for (int i = 0; i < n; i++) {
                int before = policy.latencies().size();
                Evaluator.Episode e = evaluator.runEpisode(env, policy, firstSeed + i);
                out.add(new EpisodeResult(e, policy.latencies().subList(before, policy.latencies().size())));
            }
        }
        return out;
    }

    /** Evaluates one method on seeds seed .. seed+episodes-1; GIFs of the first {@code videos} go into videoDir. */
    public MethodResult run(MethodSpec spec, long seed, int episodes, int videos, Path videoDir, Consumer<String> log) {
        return run(spec, seed, 0, episodes, videos, videoDir, log, () -> false);
    }

    /**
     * Evaluates one method on seeds seed+skip .. seed+episodes-1 (skip > 0: the rest of an interrupted run, whose first
     * {@code skip} episodes are done); GIFs of the seeds below seed+videos go into videoDir. Once {@code stop} is true
     * no further episode starts and the result holds the episodes done (a prefix of the seeds, each as in an
     * uninterrupted run) with {@code episodesPlanned} = episodes - skip, so it is not {@link MethodResult#complete()}.
     */
    public MethodResult run(MethodSpec spec, long seed, int skip, int episodes, int videos, Path videoDir, Consumer<String> log,
                            BooleanSupplier stop) {
        MethodConfig config = spec.config(settings);
        List<EvalPolicy> opened = Collections.synchronizedList(new ArrayList<>());
        Map<Long, List<BufferedImage>> frames = new ConcurrentHashMap<>();
        Evaluator.Result result;
        List<CallLatency> calls = new ArrayList<>();
        long first = seed + skip;
        int planned = episodes - skip;
        try {
            result = evaluator.run(first, planned, threads, () -> {
                EvalPolicy p = policies.open(spec, config);
                opened.add(p);
                return p;
            }, s -> {
                if (videoDir == null || s >= seed + videos) return null;
                List<BufferedImage> list = new ArrayList<>();
                frames.put(s, list);
                return env -> list.add(PushTRenderer.render(FrameState.of(env), 256));
            }, stop);
            for (EvalPolicy p : opened) calls.addAll(p.latencies());
        } finally {
            for (EvalPolicy p : opened) p.close();
        }
        List<Double> scores = result.episodes().stream().map(Evaluator.Episode::maxReward).toList();
        List<Long> seeds = result.episodes().stream().map(Evaluator.Episode::seed).toList();
        List<String> videoFiles = new ArrayList<>();
        for (long s = first; s < seed + videos && s < first + seeds.size() && videoDir != null; s++) {
            Path gif = videoDir.resolve(spec.label().replace(':', '-') + "_seed" + s + ".gif");
            GifWriter.write(frames.get(s), gif, 10);
            videoFiles.add(gif.toString());
        }
        MethodResult mr = new MethodResult(spec.label(), config.steps(), seeds.size(), result.meanScore(),
                result.successRate(), LatencySummary.of(calls), scores, seeds, videoFiles, org.steppolicy.infer.StallTest.of(calls), planned);
        if (log != null && !seeds.isEmpty()) {
            BootstrapInterval ci = mr.scoreInterval();
            log.accept(String.format(java.util.Locale.ROOT, "%-14s score %.3f [%.3f, %.3f]  success %.2f  latency p50 %.2f ms%s",
                    spec.label(), mr.meanScore(), ci.lo(), ci.hi(), mr.successRate(), mr.latency().medianMs(),
                    mr.complete() ? "" : "  (interrupted: " + seeds.size() + " of " + planned + " episodes)"));
        }
        return mr;
    }
}
