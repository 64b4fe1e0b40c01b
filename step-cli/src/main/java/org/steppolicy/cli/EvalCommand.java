package org.steppolicy.cli;

import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.eval.EvalRequest;
import org.steppolicy.eval.EvalSources;
import org.steppolicy.eval.EvalSummary;
import org.steppolicy.eval.Evaluation;
import org.steppolicy.eval.MethodList;
import org.steppolicy.eval.TrainedRuns;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.serve.ServeConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code step eval}: wiring for step-eval's {@link Evaluation}: options to an {@link EvalRequest}, the table to stdout. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate methods (ddpm, ddim, dpmsolver, step, spatial, temporal, falcon, predictor) on one trained DP "
                + "(checkpoints or an export-onnx folder).")
public final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--dp", paramLabel = "DIR", description = "DP checkpoint (or run directory: its latest), or an export-onnx folder "
            + "(e.g. models/pusht-lowdim: its own predictors, ONNX Runtime). Default: the newest DP run under runs/.")
    Path dp;

    @Option(names = "--predictor", paramLabel = "DIR", description = "Predictor checkpoint(s): one of kind step, one of kind spatial (repeat the option). "
            + "Default: the newest predictor run of each kind under runs/.")
    List<Path> predictors = new ArrayList<>();

    @Option(names = "--methods", paramLabel = "LIST", description = "Comma-separated, e.g. ddpm:100,ddim:2,step:2. Default: eval.methods "
            + "(with --server: the methods the server serves).")
    String methods;

    @Option(names = "--steps", paramLabel = "N", description = "The paper's comparison at N steps: ddpm:100, ddim:N, dpmsolver:N, spatial:N, "
            + "temporal:N, falcon:N, step:N, predictor (methods whose predictor is missing are skipped with one line).")
    Integer steps;

    @Option(names = "--compare", paramLabel = "METHOD", description = "One of the methods, e.g. step:2: adds, for every other method, "
            + "the paired difference METHOD - method over the same episode seeds with its 95 % bootstrap interval.")
    String compare;

    @Option(names = "--episodes", paramLabel = "N", description = "Episodes per method. Default: eval.episodes (50).")
    Integer episodes;

    @Option(names = "--seed", paramLabel = "S", description = "First episode seed. Default: eval.seed (100000).")
    Long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Parallel environments. Default: eval.threads.")
    Integer threads;

    @Option(names = "--runtime", paramLabel = "NAME", description = "onnx or samediff. Default: inference.runtime.")
    String runtime;

    @Option(names = "--videos", paramLabel = "N", description = "GIFs of the first N episodes per method. Default: eval.videos.")
    Integer videos;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: runs/eval-<task>.")
    Path out;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "Run every policy call on a `step serve` server (same config) instead of in-process; not with --dp/--predictor.")
    String server;

    @Option(names = "--server-token-file", paramLabel = "FILE", description = "Token for a server started with --token-file.")
    Path serverToken;

    @Option(names = "--force", description = "Replace an evaluation that is in --out.")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        StepConfig c = config.resolve();
        if (steps != null && methods != null) throw new UserError("--steps and --methods: give one of them");
        List<MethodSpec> specs = steps != null ? MethodList.comparison(steps) : MethodList.parse(methods != null ? methods : c.eval().methods());
        EvalRequest r;
        if (server != null) {
            if (dp != null || !predictors.isEmpty()) throw new UserError("--server takes no --dp/--predictor: the server has the models");
            String token = serverToken == null ? null : ServeConfig.readToken(serverToken);
            // No --methods/--steps: no methods in the request, which evaluates what the server serves.
            r = EvalRequest.of(c, null, List.of()).withMethods(steps == null && methods == null ? List.of() : specs)
                    .withServer(new EvalRequest.ServerTarget(server, token));
        } else {
            EvalSources src = EvalSources.pick(dp, predictors, specs, steps != null, TrainedRuns.DEFAULT_ROOT, o);
            r = EvalRequest.of(c, src.dp(), src.predictors()).withMethods(src.methods());
        }
        r = r.withForce(force).withCompare(compare);
        if (episodes != null) r = r.withEpisodes(episodes);
        if (seed != null) r = r.withSeed(seed);
        if (threads != null) r = r.withThreads(threads);
        if (runtime != null) r = r.withRuntime(RuntimeKind.parse(runtime));
        if (videos != null) r = r.withVideos(videos);
        if (out != null) r = r.withOut(out);
        EvalSummary s = Evaluation.run(r, o);
        o.println();
        o.print(s.table());
        o.println("wrote " + s.out());
        return 0;
    }
}
