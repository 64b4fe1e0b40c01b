package org.steppolicy.cli;

import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.policy.TrainedPolicy;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import picocli.CommandLine.Option;

/** {@code --random-weights}: no checkpoints, the config's architecture with seeded random weights (bench, serve, export-onnx). */
public final class RandomWeightsOption {
    @Option(names = "--random-weights", description = "No checkpoints: the config's architecture with seeded random weights (tests, benches).")
    boolean randomWeights;

    /** Refuses --random-weights beside --policy/--predictor. */
    void checkAlone(PolicySourceOptions source) {
        if (randomWeights && !source.none()) throw new UserError("--random-weights takes no --policy/--predictor");
    }

    /** The random DP with a predictor of the config's kind, and the random BRIDGeR networks when {@code bridger}. */
    static PolicyBundle bundle(StepConfig c, boolean bridger) {
        long seed = c.training().seed();
        PolicyBundle b = PolicyLoader.randomWeights(c, seed, true);
        return bridger ? b.withBridger(PolicyLoader.randomBridger(c, seed + 2, b.normalization())) : b;
    }

    /**
     * The policy of {@code source}, or with --random-weights the random one ({@link #bundle}); without either a
     * one-line error.
     */
    TrainedPolicy load(PolicySourceOptions source, StepConfig c, boolean bridger) {
        checkAlone(source);
        if (!randomWeights) {
            source.required(", or --random-weights with --config");
            return source.load();
        }
        PolicyBundle b = bundle(c, bridger);
        return TrainedPolicy.of(b, List.of(b.predictor()), "random weights (seed " + c.training().seed() + ")");
    }
}
