package org.steppolicy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.policy.TrainedPolicy;
import picocli.CommandLine.Option;

/**
 * The policy a command runs, named the same way by every command that takes one (eval, curve, bench, bench serve,
 * bench async, serve, export-onnx, analyze contraction): {@code --policy DIR} (alias {@code --dp}) with repeatable
 * {@code --predictor DIR}, read by {@link TrainedPolicy#load}, the one loader.
 */
public final class PolicySourceOptions {
    @Option(names = {"--policy", "--dp"}, paramLabel = "DIR", description = "The policy: an export-onnx folder (e.g. models/pusht-lowdim, "
            + "its own predictors, ONNX Runtime), or a DP checkpoint / run directory (its latest checkpoint).")
    Path policy;

    @Option(names = "--predictor", paramLabel = "DIR", description = "With a DP checkpoint: a predictor checkpoint (kind step or spatial) "
            + "or a train-bridger checkpoint (bridger:K); repeat the option, one per kind.")
    List<Path> predictors = new ArrayList<>();

    /** True when neither --policy nor --predictor was given. */
    boolean none() {
        return policy == null && predictors.isEmpty();
    }

    /** The DP folder, or a one-line error saying what to give ({@code orElse}: e.g. ", or --random-weights with --config"). */
    Path required(String orElse) {
        if (policy == null) throw new UserError("give --policy DIR (and --predictor DIR for each kind)" + orElse);
        return policy;
    }

    /** The policy through the one loader; without --policy a one-line error. */
    TrainedPolicy load() {
        return TrainedPolicy.load(required(""), predictors);
    }
}
