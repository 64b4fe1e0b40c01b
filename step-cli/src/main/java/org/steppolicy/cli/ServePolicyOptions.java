package org.steppolicy.cli;

import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.serve.StepServedPolicy;
import org.steppolicy.serve.ServedPolicy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What `step serve` and `step bench serve` share: the policy ({@link PolicyOrRandomOptions}), its methods, runtime
 * and batching.
 */
public final class ServePolicyOptions {
    @Mixin
    PolicyOrRandomOptions policy;

    @Option(names = "--method", paramLabel = "SPEC", description = "Method of sessions that name none (default: ${DEFAULT-VALUE}).")
    String method = "step:2";

    @Option(names = "--methods", paramLabel = "LIST", description = "Further methods sessions may ask for, e.g. ddim:2,temporal:2,falcon:2.")
    String methods;

    @Option(names = "--runtime", paramLabel = "NAME", description = "onnx or samediff. Default: inference.runtime of the config.")
    String runtime;

    @Option(names = "--instances", paramLabel = "N", description = "Runtime instances of each network = forwards run at once. Default: the number of cores.")
    Integer instances;

    @Option(names = "--max-batch", paramLabel = "N", description = "Concurrent sessions' forwards run as one batched forward of up to N rows; 1: no batching (default: ${DEFAULT-VALUE}).")
    int maxBatch = StepServedPolicy.Options.DEFAULT_MAX_BATCH;

    @Option(names = "--batch-window", paramLabel = "TIME", description = "Longest wait of a forward for sessions about to join its batch; only while other sessions are computing (default: 2ms).")
    String batchWindow = "2ms";

    ServedPolicy load() {
        StepConfig c = policy.config().resolve();
        List<String> allowed = new ArrayList<>();
        if (methods != null) {
            try {
                for (MethodSpec m : MethodSpec.parseList(methods)) allowed.add(m.label());
            } catch (IllegalArgumentException e) {
                throw new UserError("--methods: " + e.getMessage());
            }
        }
        StepServedPolicy.Options o = new StepServedPolicy.Options(method, allowed, InferenceSettings.from(c.inference()),
                RuntimeKind.parse(runtime != null ? runtime : c.inference().runtime()),
                instances != null ? instances : Runtime.getRuntime().availableProcessors(), maxBatch, DurationOption.parse("--batch-window", batchWindow));
        PolicySourceOptions source = policy.source();
        policy.random.checkAlone(source);
        if (policy.random.randomWeights) {
            var bundle = RandomWeightsOption.bundle(c, BenchCommand.isBridger(method) || allowed.stream().anyMatch(BenchCommand::isBridger));
            return StepServedPolicy.of(bundle, List.of(), "random weights (seed " + c.training().seed() + ") of "
                    + (policy.config().config != null ? policy.config().config : "configs/pusht.yaml"), o);
        }
        return StepServedPolicy.load(source.required(", or --random-weights with --config"), source.predictors, o);
    }
}
