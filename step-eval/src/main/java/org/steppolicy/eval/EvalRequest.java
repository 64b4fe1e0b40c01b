package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.steppolicy.config.Require;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
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

    /** A request is checked where it is made, so every step after it may take it as sound. */
    public EvalRequest {
        predictors = List.copyOf(predictors);
        methods = List.copyOf(methods);
        Require.atLeast("--episodes", episodes, 1);
        Require.atLeast("--threads", threads, 1);
        Require.atLeast("--videos", videos, 0);
        if (resume && server != null) throw new UserError("--resume: evaluations through --server are not resumable; run them again");
        if (resume && force) throw new UserError("--force would delete the results --resume continues; give one of them");
    }

    /** The config's defaults: eval.methods, episodes, seed, threads, videos, inference.runtime, runs/eval-TASK. */
    public static EvalRequest of(StepConfig c, Path dp, List<Path> predictors) {
        return new EvalRequest(c, dp, predictors, MethodList.parse(c.eval().methods()), c.eval().episodes(), c.eval().seed(),
                c.eval().threads(), RuntimeKind.parse(c.inference().runtime()), c.eval().videos(),
                Path.of("runs", "eval-" + c.task().name()), false, null, null, false);
    }

    /** The same request on another DP (a checkpoint, run folder or export): a learning curve's checkpoints. */
    public EvalRequest withDp(Path checkpoint) {
        return copy(c -> c.dp = checkpoint);
    }

    public EvalRequest withMethods(List<MethodSpec> m) {
        return copy(c -> c.methods = m);
    }

    public EvalRequest withEpisodes(int n) {
        return copy(c -> c.episodes = n);
    }

    public EvalRequest withSeed(long s) {
        return copy(c -> c.seed = s);
    }

    public EvalRequest withThreads(int n) {
        return copy(c -> c.threads = n);
    }

    public EvalRequest withRuntime(RuntimeKind r) {
        return copy(c -> c.runtime = r);
    }

    public EvalRequest withVideos(int n) {
        return copy(c -> c.videos = n);
    }

    public EvalRequest withForce(boolean f) {
        return copy(c -> c.force = f);
    }

    /** Every policy call through this server (the request's dp and predictors are then not read). */
    public EvalRequest withServer(ServerTarget s) {
        return copy(c -> c.server = s);
    }

    /**
     * Adds the paired differences against {@code spec} (one method spec, e.g. "step:2", which must be among the
     * evaluated methods; null: none). A bad spec is a one-line {@link org.steppolicy.config.UserError}.
     */
    public EvalRequest withCompare(String spec) {
        List<MethodSpec> one = spec == null ? null : MethodList.parse(spec, "--compare");
        if (one != null && one.size() != 1) throw new UserError("--compare takes one method, e.g. step:2; got " + spec);
        return copy(c -> c.compare = one == null ? null : one.get(0).label());
    }

    /** Continues the interrupted evaluation in {@code dir} (it becomes the output folder). */
    public EvalRequest withResume(Path dir) {
        return copy(c -> {
            c.out = dir;
            c.resume = true;
        });
    }

    public EvalRequest withOut(Path dir) {
        return copy(c -> c.out = dir);
    }

    /** This request with some components changed by {@code change}; the constructor copies the lists again. */
    private EvalRequest copy(Consumer<Components> change) {
        Components c = new Components(this);
        change.accept(c);
        return c.build();
    }

    /** The components of one copy, to change before {@link #build}: one constructor call for every with... method. */
    private static final class Components {
        StepConfig config;
        Path dp;
        List<Path> predictors;
        List<MethodSpec> methods;
        int episodes;
        long seed;
        int threads;
        RuntimeKind runtime;
        int videos;
        Path out;
        boolean force;
        ServerTarget server;
        String compare;
        boolean resume;

        Components(EvalRequest r) {
            config = r.config;
            dp = r.dp;
            predictors = r.predictors;
            methods = r.methods;
            episodes = r.episodes;
            seed = r.seed;
            threads = r.threads;
            runtime = r.runtime;
            videos = r.videos;
            out = r.out;
            force = r.force;
            server = r.server;
            compare = r.compare;
            resume = r.resume;
        }

        EvalRequest build() {
            return new EvalRequest(config, dp, predictors, methods, episodes, seed, threads, runtime, videos, out, force, server, compare, resume);
        }
    }
}
