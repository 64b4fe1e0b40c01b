package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.runtime.RuntimeKind;

/**
 * One evaluation: the resolved config, the DP checkpoint (or run folder) and predictor checkpoints, the methods, and
 * how many episodes from which seed on how many parallel environments, on which runtime, with how many GIFs, into
 * which folder ({@code force}: replace an evaluation already there); with a {@code server} every policy call goes
 * to a `step serve` server instead (dp and predictors unused; no methods: the ones the server serves). {@code compare}
 * (null for none) is the label of one of the methods; the results then add, for every other method, the paired
 * difference against it. {@code resume}: {@code out} holds an interrupted evaluation of this request; run only
 * what it lacks (whole methods, or a partial method's missing episodes) and rewrite its results complete.
 * {@link #of} takes every unspecified value from the config's eval and inference sections.
 */
public record EvalRequest(StepConfig config, Path dp, List<Path> predictors, List<MethodSpec> methods, int episodes,
                          long seed, int threads, RuntimeKind runtime, int videos, Path out, boolean force,
                          ServerTarget server, String compare, boolean resume) {

    /** A `step serve` server: host:port, and the token it was started with (null for none). */
    public record ServerTarget(String target, String token) {}

    public EvalRequest {
        predictors = List.copyOf(predictors);
        methods = List.copyOf(methods);
    }

    /** The config's defaults: eval.methods, episodes, seed, threads, videos, inference.runtime, runs/eval-TASK. */
    public static EvalRequest of(StepConfig c, Path dp, List<Path> predictors) {
        return new EvalRequest(c, dp, predictors, MethodList.parse(c.eval().methods()), c.eval().episodes(), c.eval().seed(),
                c.eval().threads(), RuntimeKind.parse(c.inference().runtime()), c.eval().videos(),
                Path.of("runs", "eval-" + c.task().name()), false, null, null, false);
    }

    public EvalRequest withMethods(List<MethodSpec> m) {
        return new EvalRequest(config, dp, predictors, m, episodes, seed, threads, runtime, videos, out, force, server, compare, resume);
    }

    public EvalRequest withEpisodes(int n) {
        return new EvalRequest(config, dp, predictors, methods, n, seed, threads, runtime, videos, out, force, server, compare, resume);
    }

    public EvalRequest withSeed(long s) {
        return new EvalRequest(config, dp, predictors, methods, episodes, s, threads, runtime, videos, out, force, server, compare, resume);
    }

    public EvalRequest withThreads(int n) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, n, runtime, videos, out, force, server, compare, resume);
    }

    public EvalRequest withRuntime(RuntimeKind r) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, r, videos, out, force, server, compare, resume);
    }

    public EvalRequest withVideos(int n) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, n, out, force, server, compare, resume);
    }

    public EvalRequest withForce(boolean f) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, out, f, server, compare, resume);
    }

    /** Every policy call through this server (the request's dp and predictors are then not read). */
    public EvalRequest withServer(ServerTarget s) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, out, force, s, compare, resume);
    }

    /**
     * Adds the paired differences against {@code spec} (one method spec, e.g. "step:2", which must be among the
     * evaluated methods; null: none). A bad spec is a one-line {@link org.steppolicy.config.UserError}.
     */
    public EvalRequest withCompare(String spec) {
        String label = null;
        if (spec != null) {
            List<MethodSpec> one = MethodList.parse(spec, "--compare");
            if (one.size() != 1) throw new org.steppolicy.config.UserError("--compare takes one method, e.g. step:2; got " + spec);
            label = one.get(0).label();
        }
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, out, force, server, label, resume);
    }

    /** Continues the interrupted evaluation in {@code dir} (it becomes the output folder). */
    public EvalRequest withResume(Path dir) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, dir, force, server, compare, true);
    }

    public EvalRequest withOut(Path dir) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, dir, force, server, compare, resume);
    }
}
