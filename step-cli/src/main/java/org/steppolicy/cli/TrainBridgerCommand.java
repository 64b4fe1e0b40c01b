package org.steppolicy.cli;

import java.nio.file.Path;
import org.steppolicy.train.TrainRuns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code step train-bridger}: BRIDGeR's velocity and score networks (wiring; the task is step-train's, docs/bridger.md). */
@Command(name = "train-bridger", mixinStandardHelpOptions = true,
        description = "Train BRIDGeR (bridger.source, bridger.interpolant; U-Net sizes from policy.*): progress on stderr; "
                + "checkpoints, metrics.csv, loss.png and the resolved config.yaml in --out.")
public final class TrainBridgerCommand extends TrainCommand {
    @Option(names = "--out", paramLabel = "DIR", description = "Run directory. Default: runs/bridger-<task>.")
    Path out;

    @Override
    public Integer call() {
        return train(out, c -> "bridger-" + c.task().name(),
                (c, dir, progress) -> TrainRuns.trainBridger(c, dir, run.maxSteps, run.resume, run.runOptions(), progress));
    }
}
