package org.steppolicy.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.steppolicy.config.StepConfig;
import org.steppolicy.train.TrainRuns;
import org.steppolicy.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code step train-predictor}: the STEP (or spatial-only) warm-start predictor (wiring; logic in step-train). */
@Command(name = "train-predictor", mixinStandardHelpOptions = true,
        description = "Train the warm-start predictor (predictor.kind=step|spatial) on genuinely previous chunks; "
                + "with --dp the DP checkpoint's normaliser is used (and must match the data).")
public final class TrainPredictorCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory. Default: runs/predictor-<kind>-<task>.")
    Path out;

    @Mixin
    TrainRunOptions run;

    @Option(names = "--dp", paramLabel = "DPCKPT", description = "DP checkpoint (or run directory) whose normaliser to use.")
    Path dp;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StepConfig c = run.config(config);
        Path dir = run.dir(out, "predictor-" + c.predictor().kind() + "-" + c.task().name());
        Trainer.Summary s = TrainRuns.trainPredictor(c, dir, run.maxSteps, run.resume, dp, run.runOptions(),
                ErrStream.of(spec.commandLine().getErr()));
        spec.commandLine().getOut().printf("trained steps %d..%d, last checkpoint %s%n", s.firstStep(), s.lastStep(), s.lastCheckpoint());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
