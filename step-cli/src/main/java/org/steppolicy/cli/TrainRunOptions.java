package org.steppolicy.cli;

import java.nio.file.Path;
import org.steppolicy.config.StepConfig;
import org.steppolicy.eval.TrainedRuns;
import org.steppolicy.train.RunOptions;
import org.steppolicy.train.RunStart;
import picocli.CommandLine.Option;

/** The options the train commands share: length, resume, and what may happen to an existing --out. */
public final class TrainRunOptions {
    @Option(names = "--max-steps", paramLabel = "N", description = "Train N optimiser steps (also ends the cosine schedule there).")
    Long maxSteps;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue exactly from a checkpoint (or a run directory's latest); "
            + "--out defaults to that run's folder and, without --config, the config is the run's own config.yaml (overrides still apply). "
            + "The data and normaliser must be the run's.")
    Path resume;

    @Option(names = "--force", description = "Start over in an --out that holds another run (its files are deleted).")
    boolean force;

    @Option(names = "--init-from", paramLabel = "PATH", description = "Start a new run from these weights (fine-tuning): a checkpoint's "
            + "EMA weights, a run folder's latest, an ONNX export folder such as models/pusht-lowdim, or a .onnx file. "
            + "The optimiser, EMA and LR schedule start fresh; the normaliser must match the data's.")
    Path initFrom;

    @Option(names = "--allow-data-change", description = "With --resume: continue on data that differs from the run's, keeping the run's normaliser.")
    boolean allowDataChange;

    /**
     * The run folder: --out, else the resumed run's, else runs/NAME, where `step eval` looks for the newest runs
     * ({@link TrainedRuns#DEFAULT_ROOT}).
     */
    Path dir(Path out, String name) {
        if (out != null) return out;
        Path resumed = RunStart.runDirOf(resume);
        return resumed != null ? resumed : TrainedRuns.DEFAULT_ROOT.resolve(name);
    }

    /**
     * The run's configuration: with --resume and no --config, the config.yaml the resumed run wrote (so its settings
     * need not be repeated), else --config; overrides and --data apply on top either way.
     */
    StepConfig config(ConfigOptions options) {
        Path run = RunStart.runDirOf(resume);
        return run != null ? options.resolveOr(run.resolve("config.yaml")) : options.resolve();
    }

    RunOptions runOptions() {
        return new RunOptions(force, allowDataChange, initFrom);
    }
}
