package org.steppolicy.cli;

import java.nio.file.Path;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a policy comes from: --dp [--predictor] checkpoints, or --random-weights from the config. */
public final class PolicySourceOptions {
    @Option(names = "--dp", paramLabel = "DIR", description = "DP checkpoint directory (or run directory: its latest checkpoint).")
    Path dp;

    @Option(names = "--predictor", paramLabel = "DIR", description = "Predictor checkpoint directory (for step/spatial/predictor).")
    Path predictor;

    @Option(names = "--random-weights", description = "No checkpoints: the config's architecture with seeded random weights.")
    boolean randomWeights;

    @Mixin
    ConfigOptions config;

    /** The configuration (used for defaults such as threads and runtime, and for --random-weights). */
    StepConfig resolveConfig() {
        return config.resolve();
    }

    PolicyBundle load(StepConfig c) {
        if (randomWeights) {
            if (dp != null || predictor != null) throw new UserError("--random-weights takes no --dp/--predictor");
            return PolicyLoader.randomWeights(c, c.training().seed(), true);
        }
        if (dp == null) throw new UserError("give --dp DPCKPT (and --predictor PCKPT), or --random-weights with --config");
        return PolicyLoader.fromCheckpoints(dp, predictor);
    }
}
