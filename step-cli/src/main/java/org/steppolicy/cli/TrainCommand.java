package org.steppolicy.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;
import org.steppolicy.config.StepConfig;
import org.steppolicy.train.Trainer;
import picocli.CommandLine.Mixin;

/**
 * What train-dp, train-predictor and train-bridger share: the config and run options, the run folder, progress on
 * stderr and the summary line. Each names its own --out default, so --out stays with the command.
 */
abstract class TrainCommand extends StepCommand {
    @Mixin
    ConfigOptions config;

    @Mixin
    TrainRunOptions run;

    /** One kind of training, into a run folder. */
    interface Training {
        Trainer.Summary run(StepConfig c, Path dir, PrintStream progress);
    }

    /**
     * Trains into {@code out}, else the resumed run's folder, else runs/ + {@code defaultName} of the config, then
     * prints the summary line.
     */
    int train(Path out, Function<StepConfig, String> defaultName, Training training) {
        StepConfig c = run.config(config);
        Trainer.Summary s = training.run(c, run.dir(out, defaultName.apply(c)), ErrStream.of(spec.commandLine().getErr()));
        printf("trained steps %d..%d, last checkpoint %s%n", s.firstStep(), s.lastStep(), s.lastCheckpoint());
        return 0;
    }
}
