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

/** {@code step train-dp}: Diffusion Policy training (wiring; the loop is step-train's). */
@Command(name = "train-dp", mixinStandardHelpOptions = true,
        description = "Train the Diffusion Policy U-Net: progress on stderr; checkpoints, metrics.csv, loss.png and the "
                + "resolved config.yaml in --out.")
public final class TrainDpCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory. Default: runs/dp-<task>.")
    Path out;

    @Option(names = "--max-steps", paramLabel = "N", description = "Train N optimiser steps (also ends the cosine schedule there).")
    Long maxSteps;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue exactly from a checkpoint (or a run directory's latest); "
            + "--out defaults to that run's folder. The data and normaliser must be the run's.")
    Path resume;

    @Option(names = "--force", description = "Start over in an --out that holds another run (its files are deleted).")
    boolean force;

    @Option(names = "--allow-data-change", description = "With --resume: continue on data that differs from the run's, keeping the run's normaliser.")
    boolean allowDataChange;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        StepConfig c = config.resolve();
        Path dir = out != null ? out : TrainRuns.runDirOf(resume) != null ? TrainRuns.runDirOf(resume) : Path.of("runs", "dp-" + c.task().name());
        Trainer.Summary s = TrainRuns.trainDp(c, dir, maxSteps, resume, new TrainRuns.RunOptions(force, allowDataChange),
                ErrStream.of(spec.commandLine().getErr()));
        spec.commandLine().getOut().printf("trained steps %d..%d, last checkpoint %s%n", s.firstStep(), s.lastStep(), s.lastCheckpoint());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
