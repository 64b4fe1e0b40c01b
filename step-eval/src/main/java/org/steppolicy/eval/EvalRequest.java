package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.runtime.RuntimeKind;

/**
 * One evaluation: the resolved config, the DP checkpoint (or run folder) and predictor checkpoints, the methods, and
 * how many episodes from which seed on how many parallel environments, on which runtime, with how many GIFs, into
 * which folder ({@code force}: replace an evaluation already there). {@link #of} takes every unspecified value from
 * the config's eval and inference sections.
 */
public record EvalRequest(StepConfig config, Path dp, List<Path> predictors, List<MethodSpec> methods, int episodes,
                          long seed, int threads, RuntimeKind runtime, int videos, Path out, boolean force) {

    public EvalRequest {
        predictors = List.copyOf(predictors);
        methods = List.copyOf(methods);
    }

    /** The config's defaults: eval.methods, episodes, seed, threads, videos, inference.runtime, runs/eval-TASK. */
    public static EvalRequest of(StepConfig c, Path dp, List<Path> predictors) {
        return new EvalRequest(c, dp, predictors, MethodList.parse(c.eval().methods()), c.eval().episodes(), c.eval().seed(),
                c.eval().threads(), RuntimeKind.parse(c.inference().runtime()), c.eval().videos(),
                Path.of("runs", "eval-" + c.task().name()), false);
    }

    public EvalRequest withMethods(List<MethodSpec> m) {
        return new EvalRequest(config, dp, predictors, m, episodes, seed, threads, runtime, videos, out, force);
    }

    public EvalRequest withEpisodes(int n) {
        return new EvalRequest(config, dp, predictors, methods, n, seed, threads, runtime, videos, out, force);
    }

    public EvalRequest withSeed(long s) {
        return new EvalRequest(config, dp, predictors, methods, episodes, s, threads, runtime, videos, out, force);
    }

    public EvalRequest withThreads(int n) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, n, runtime, videos, out, force);
    }

    public EvalRequest withRuntime(RuntimeKind r) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, r, videos, out, force);
    }

    public EvalRequest withVideos(int n) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, n, out, force);
    }

    public EvalRequest withForce(boolean f) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, out, f);
    }

    public EvalRequest withOut(Path dir) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, dir, force);
    }
}
