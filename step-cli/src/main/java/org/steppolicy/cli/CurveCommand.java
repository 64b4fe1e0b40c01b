package org.steppolicy.cli;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.eval.EvalRequest;
import org.steppolicy.eval.EvalSources;
import org.steppolicy.eval.LearningCurve;
import org.steppolicy.eval.MethodList;
import org.steppolicy.eval.TrainedRuns;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.runtime.OnnxExportFolder;
import org.steppolicy.train.StopSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code step curve}: wiring for step-eval's {@link LearningCurve}: options to its request, one line per checkpoint. */
@Command(name = "curve", mixinStandardHelpOptions = true,
        description = "The learning curve of a DP training run: each checkpoint evaluated in closed loop with the same methods, "
                + "episodes and seeds (one evaluation folder per checkpoint, read again rather than rerun), then curve.csv and "
                + "curve.png (mean score with its 95 %% interval against optimiser steps). With --watch it keeps evaluating new "
                + "checkpoints while the run trains, until Ctrl-C.")
public final class CurveCommand extends StepCommand {
    @Mixin
    ConfiguredPolicyOptions run;

    @Mixin
    EvalRunOptions each;

    @Option(names = "--methods", paramLabel = "LIST", description = "Comma-separated methods evaluated at every checkpoint. Default: ddim:10 "
            + "(one cheap method; add ddpm:100 or step:2 where the time is there).")
    String methods = "ddim:10";

    @Option(names = "--every", paramLabel = "N", description = "Only checkpoints whose step is a multiple of N. Default: 1 (every checkpoint).")
    long every = 1;

    @Option(names = "--watch", description = "After the checkpoints there are, wait for new ones (see --poll) until Ctrl-C.")
    boolean watch;

    @Option(names = "--poll", paramLabel = "DURATION", description = "How often --watch looks for new checkpoints, e.g. 30s, 5m. Default: 30s.")
    String poll = "30s";

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory. Default: <run>-curve beside the run.")
    Path out;

    @Override
    public Integer call() {
        StepConfig c = run.config.resolve();
        Path dp = run.source.policy;
        if (dp != null && OnnxExportFolder.isExport(dp))
            throw new UserError("--policy " + dp + " is an export (one set of weights): a learning curve needs a training run's checkpoints");
        List<MethodSpec> specs = MethodList.parse(methods);
        EvalSources src = EvalSources.pick(dp, run.source.predictors, specs, false, TrainedRuns.DEFAULT_ROOT, out());
        Path runDir = src.dp();
        Path dir = out != null ? out : runDir.toAbsolutePath().normalize().resolveSibling(runDir.toAbsolutePath().normalize().getFileName() + "-curve");
        EvalRequest r = each.apply(EvalRequest.of(c, runDir, src.predictors()).withMethods(src.methods()));
        LearningCurve.Request request = new LearningCurve.Request(r, runDir, every, watch, DurationOption.parse("--poll", poll), dir);
        List<LearningCurve.Point> points;
        try (StopSignal stop = StopSignal.install(System.err, "finishing the running episodes, then stopping "
                + "(the checkpoint's evaluation stays resumable)", "the results of the running episodes are lost")) {
            points = LearningCurve.run(request, out(), stop);
        }
        out().println("wrote " + dir.resolve(LearningCurve.CSV) + " and " + LearningCurve.PNG + " (" + points.size() + " points)");
        return 0;
    }
}
