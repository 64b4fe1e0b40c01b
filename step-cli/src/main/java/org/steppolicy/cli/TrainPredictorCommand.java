package org.steppolicy.cli;

import java.nio.file.Path;
import org.steppolicy.train.TrainRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code step train-predictor}: the STEP (or spatial-only) warm-start predictor (wiring; logic in step-train). */
@Command(name = "train-predictor", mixinStandardHelpOptions = true,
        description = "Train the warm-start predictor (predictor.kind=step|spatial) on genuinely previous chunks; "
                + "with --dp the DP checkpoint's normaliser is used (and must match the data).")
public final class TrainPredictorCommand extends TrainCommand {
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory. Default: runs/predictor-<kind>-<task>.")
    Path out;

    @Option(names = "--dp", paramLabel = "DPCKPT", description = "DP checkpoint (or run directory) whose normaliser to use.")
    Path dp;

    @Override
    public Integer call() {
        return train(out, c -> "predictor-" + c.predictor().kind() + "-" + c.task().name(),
                (c, dir, progress) -> TrainRuns.trainPredictor(c, dir, run.maxSteps, run.resume, dp, run.runOptions(), progress));
    }
}
