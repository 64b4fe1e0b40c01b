package org.steppolicy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.BridgerBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.PredictorBundle;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where a policy comes from: --dp [--predictor] checkpoints, or --random-weights from the config. */
public final class PolicySourceOptions {
    @Option(names = "--dp", paramLabel = "DIR", description = "DP checkpoint directory (or run directory: its latest checkpoint).")
    Path dp;

    @Option(names = "--predictor", paramLabel = "DIR", description = "Predictor checkpoint directory (for step/spatial/predictor), "
            + "or a train-bridger checkpoint (for bridger:K); export-onnx takes one per kind (repeat the option).")
    List<Path> predictors = new ArrayList<>();

    @Option(names = "--random-weights", description = "No checkpoints: the config's architecture with seeded random weights.")
    boolean randomWeights;

    @Mixin
    ConfigOptions config;

    /** The configuration (used for defaults such as threads and runtime, and for --random-weights). */
    StepConfig resolveConfig() {
        return config.resolve();
    }

    /** The DP with at most one predictor. */
    PolicyBundle load(StepConfig c) {
        if (!randomWeights && dp != null && predictors.stream().anyMatch(BridgerBundle::isBridger)) {
            PolicyLoader.WithOthers w = PolicyLoader.withOthers(dp, predictors);   // a BRIDGeR checkpoint rides beside the DP
            if (w.predictors().size() > 1) throw new UserError("give one --predictor here, not " + w.predictors().size());
            return w.dp().withPredictor(w.predictors().isEmpty() ? null : w.predictors().get(0));
        }
        if (predictors.size() > 1) throw new UserError("give one --predictor here, not " + predictors.size());
        if (randomWeights) {
            if (dp != null || !predictors.isEmpty()) throw new UserError("--random-weights takes no --dp/--predictor");
            return PolicyLoader.randomWeights(c, c.training().seed(), true);
        }
        if (dp == null) throw new UserError("give --dp DPCKPT (and --predictor PCKPT), or --random-weights with --config");
        return PolicyLoader.fromCheckpoints(dp, predictors.isEmpty() ? null : predictors.get(0));
    }

    /** The DP (with no predictor) and every --predictor, one per kind. */
    Loaded loadAll(StepConfig c) {
        if (randomWeights || predictors.size() <= 1) {
            PolicyBundle b = load(c);
            return new Loaded(b.withPredictor(null), b.predictor() == null ? List.of() : List.of(b.predictor()));
        }
        if (dp == null) throw new UserError("give --dp DPCKPT with the --predictor checkpoints");
        PolicyLoader.WithOthers w = PolicyLoader.withOthers(dp, predictors);
        return new Loaded(w.dp(), w.predictors());
    }

    /** A DP and its predictors as loaded from the options. */
    record Loaded(PolicyBundle dp, List<PredictorBundle> predictors) {}
}
