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

/** {@code step train-bridger}: BRIDGeR's velocity and score networks (wiring; the task is step-train's, docs/bridger.md). */
@Command(name = "train-bridger", mixinStandardHelpOptions = true,
        description = "Train BRIDGeR (bridger.source, bridger.interpolant; U-Net sizes from policy.*): progress on stderr; "
                + "checkpoints, metrics.csv, loss.png and the resolved config.yaml in --out.")
public final class TrainBridgerCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory. Default: runs/bridger-<task>.")
    Path out;

    @Mixin
    TrainRunOptions run;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StepConfig c = run.config(config);
        Path dir = run.dir(out, "bridger-" + c.task().name());
        Trainer.Summary s = TrainRuns.trainBridger(c, dir, run.maxSteps, run.resume, run.runOptions(),
                ErrStream.of(spec.commandLine().getErr()));
        spec.commandLine().getOut().printf("trained steps %d..%d, last checkpoint %s%n", s.firstStep(), s.lastStep(), s.lastCheckpoint());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
