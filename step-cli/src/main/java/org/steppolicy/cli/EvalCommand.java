package org.steppolicy.cli;

import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.eval.EvalReport;
import org.steppolicy.eval.EvalRequest;
import org.steppolicy.eval.EvalSources;
import org.steppolicy.eval.EvalSummary;
import org.steppolicy.eval.Evaluation;
import org.steppolicy.eval.MethodList;
import org.steppolicy.eval.TrainedRuns;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.serve.ServeConfig;
import org.steppolicy.train.StopSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code step eval}: wiring for step-eval's {@link Evaluation}: options to an {@link EvalRequest}, the table to stdout. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate methods (ddpm, ddim, dpmsolver, step, spatial, temporal, falcon, predictor) on one trained DP "
                + "(checkpoints or an export-onnx folder). Without --policy: the newest DP run under runs/; without --predictor: "
                + "the newest predictor run of each kind the methods need.")
public final class EvalCommand extends StepCommand {
    @Mixin
    ConfiguredPolicyOptions run;

    @Option(names = "--methods", paramLabel = "LIST", description = "Comma-separated, e.g. ddpm:100,ddim:2,step:2. Default: eval.methods "
            + "(with --server: the methods the server serves).")
    String methods;

    @Option(names = "--steps", paramLabel = "N", description = "The paper's comparison at N steps: ddpm:100, ddim:N, dpmsolver:N, spatial:N, "
            + "temporal:N, falcon:N, step:N, predictor (methods whose predictor is missing are skipped with one line).")
    Integer steps;

    @Option(names = "--compare", paramLabel = "METHOD", description = "One of the methods, e.g. step:2: adds, for every other method, "
            + "the paired difference METHOD - method over the same episode seeds with its 95 %% bootstrap interval.")
    String compare;

    @Mixin
    EvalRunOptions each;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: runs/eval-<task>.")
    Path out;

    @Option(names = "--server", paramLabel = "HOST:PORT", description = "Run every policy call on a `step serve` server (same config) instead of in-process; not with --policy/--predictor.")
    String server;

    @Option(names = "--server-token-file", paramLabel = "FILE", description = "Token for a server started with --token-file.")
    Path serverToken;

    @Option(names = "--force", description = "Replace an evaluation that is in --out.")
    boolean force;

    @Option(names = "--resume", paramLabel = "DIR", description = "Finish the evaluation interrupted (Ctrl-C) in DIR: its config.yaml "
            + "(methods, episodes, seed) and policy unless given; only the methods and episodes its results lack run.")
    Path resume;

    @Override
    public Integer call() {
        PrintWriter o = out();
        if (resume != null && out != null && !out.equals(resume)) throw new UserError("--resume " + resume + " writes into " + resume + "; drop --out " + out);
        if (resume != null && !java.nio.file.Files.isDirectory(resume)) throw new UserError("--resume " + resume + ": no such evaluation folder");
        StepConfig c = resume != null ? run.config.resolveOr(resume.resolve("config.yaml")) : run.config.resolve();
        if (steps != null && methods != null) throw new UserError("--steps and --methods: give one of them");
        // A closed-loop evaluation runs in the simulator and reads no demonstrations: a --data there would be ignored.
        if (run.config.data != null && c.task().hasSimulator())
            throw new UserError("--data " + run.config.data + ": a closed-loop evaluation of task " + c.task().name()
                    + " runs in the simulator and reads no dataset; leave --data out");
        List<MethodSpec> specs = steps != null ? MethodList.comparison(steps) : MethodList.parse(methods != null ? methods : c.eval().methods());
        EvalRequest r;
        if (server != null) {
            if (!run.source.none()) throw new UserError("--server takes no --policy/--predictor: the server has the models");
            String token = serverToken == null ? null : ServeConfig.readToken(serverToken);
            // No --methods/--steps: no methods in the request, which evaluates what the server serves.
            r = EvalRequest.of(c, null, List.of()).withMethods(steps == null && methods == null ? List.of() : specs)
                    .withServer(new EvalRequest.ServerTarget(server, token));
        } else {
            EvalReport.Source before = resume != null && run.source.none() ? recordedSource(resume) : null;
            Path dp = run.source.policy;
            List<Path> predictors = run.source.predictors;
            if (before != null) {   // the policy the interrupted evaluation ran, not the newest under runs/
                dp = Path.of(before.policy());
                predictors = new ArrayList<>(before.predictors().stream().map(Path::of).toList());
            }
            EvalSources src = EvalSources.pick(dp, predictors, specs, steps != null, TrainedRuns.DEFAULT_ROOT, o);
            r = EvalRequest.of(c, src.dp(), src.predictors()).withMethods(src.methods());
        }
        r = r.withForce(force).withCompare(compare);
        r = each.apply(r);
        if (out != null) r = r.withOut(out);
        if (resume != null) r = r.withResume(resume);
        EvalSummary s;
        // Ctrl-C / SIGTERM: the running episodes finish, the results so far are written marked partial, exit 130.
        try (StopSignal stop = StopSignal.install(System.err, "finishing the running episodes and writing the results so far "
                + "(again to stop at once)", "the results of the running episodes are lost")) {
            s = Evaluation.run(r, o, stop);
        }
        o.println();
        o.print(s.table());
        o.println("wrote " + s.out());
        return 0;
    }

    /** The policy an evaluation folder's results.json names (null: none yet, or none recorded). */
    static EvalReport.Source recordedSource(Path dir) {
        Path json = dir.resolve(EvalReport.RESULTS_JSON);
        if (!java.nio.file.Files.isRegularFile(json)) return null;
        return EvalReport.read(json).stream().map(EvalReport.Stored::source).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }
}
