package org.steppolicy.cli;

import java.nio.file.Path;
import org.steppolicy.train.TrainRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code step train-dp}: Diffusion Policy training (wiring; the loop is step-train's). */
@Command(name = "train-dp", mixinStandardHelpOptions = true,
        description = "Train the Diffusion Policy U-Net: progress on stderr; checkpoints, metrics.csv, loss.png and the "
                + "resolved config.yaml in --out.")
public final class TrainDpCommand extends TrainCommand {
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory. Default: runs/dp-<task>.")
    Path out;

    @Override
    public Integer call() {
        return train(out, c -> "dp-" + c.task().name(),
                (c, dir, progress) -> TrainRuns.trainDp(c, dir, run.maxSteps, run.resume, run.runOptions(), progress));
    }
}
