package org.steppolicy.cli;

import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.policy.TrainedPolicy;
import picocli.CommandLine.Mixin;

/**
 * The policy of the commands that can also run without checkpoints (bench, export-onnx, serve, bench serve): the
 * config and {@code --policy}/{@code --predictor} ({@link ConfiguredPolicyOptions}), or {@code --random-weights}
 * ({@link RandomWeightsOption}), which needs the config for its architecture.
 */
public final class PolicyOrRandomOptions {
    @Mixin
    ConfiguredPolicyOptions run;

    @Mixin
    RandomWeightsOption random;

    ConfigOptions config() {
        return run.config;
    }

    PolicySourceOptions source() {
        return run.source;
    }

    /** The policy of --policy/--predictor, or with --random-weights the random one of {@code c} (see {@link RandomWeightsOption#load}). */
    TrainedPolicy load(StepConfig c, boolean bridger) {
        return random.load(run.source, c, bridger);
    }
}
