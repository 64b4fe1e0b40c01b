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
 * to a `step serve` server instead (dp and predictors unused). {@link #of} takes every unspecified value from the
 * config's eval and inference sections.
 */
public record EvalRequest(StepConfig config, Path dp, List<Path> predictors, List<MethodSpec> methods, int episodes,
                          long seed, int threads, RuntimeKind runtime, int videos, Path out, boolean force,
                          ServerTarget server) {

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
                Path.of("runs", "eval-" + c.task().name()), false, null);
    }

    public EvalRequest withMethods(List<MethodSpec> m) {
        return new EvalRequest(config, dp, predictors, m, episodes, seed, threads, runtime, videos, out, force, server);
    }

    public EvalRequest withEpisodes(int n) {
        return new EvalRequest(config, dp, predictors, methods, n, seed, threads, runtime, videos, out, force, server);
    }

    public EvalRequest withSeed(long s) {
        return new EvalRequest(config, dp, predictors, methods, episodes, s, threads, runtime, videos, out, force, server);
    }

    public EvalRequest withThreads(int n) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, n, runtime, videos, out, force, server);
    }

    public EvalRequest withRuntime(RuntimeKind r) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, r, videos, out, force, server);
    }

    public EvalRequest withVideos(int n) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, n, out, force, server);
    }

    public EvalRequest withForce(boolean f) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, out, f, server);
    }

    /** Every policy call through this server (the request's dp and predictors are then not read). */
    public EvalRequest withServer(ServerTarget s) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, out, force, s);
    }

    public EvalRequest withOut(Path dir) {
        return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, dir, force, server);
    }
}
