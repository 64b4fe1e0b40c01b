package org.steppolicy.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.serve.StepServedPolicy;
import org.steppolicy.serve.ServedPolicy;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The policy `step serve` and `step bench serve` load: checkpoints or random weights, its methods and runtime. */
public final class ServePolicyOptions {
    @Option(names = "--policy", paramLabel = "DIR", description = "DP checkpoint (or run directory: its latest checkpoint).")
    Path policy;

    @Option(names = "--predictor", paramLabel = "DIR", description = "Predictor checkpoint(s): one of kind step, one of kind spatial (repeat the option).")
    List<Path> predictors = new ArrayList<>();

    @Option(names = "--random-weights", description = "No checkpoints: the config's architecture with seeded random weights (tests, benches).")
    boolean randomWeights;

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

    @Mixin
    ConfigOptions config;

    private java.time.Duration window() {
        try {
            return org.steppolicy.serve.ServeConfig.parseDuration(batchWindow);
        } catch (IllegalArgumentException e) {
            throw new UserError("--batch-window: " + e.getMessage());
        }
    }

    ServedPolicy load() {
        StepConfig c = config.resolve();
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
                instances != null ? instances : Runtime.getRuntime().availableProcessors(), maxBatch, window());
        if (randomWeights) {
            if (policy != null || !predictors.isEmpty()) throw new UserError("--random-weights takes no --policy/--predictor");
            long seed = c.training().seed();
            var bundle = PolicyLoader.randomWeights(c, seed, true);
            if (BenchCommand.isBridger(method) || allowed.stream().anyMatch(BenchCommand::isBridger))
                bundle = bundle.withBridger(PolicyLoader.randomBridger(c, seed + 2, bundle.normalization()));
            return StepServedPolicy.of(bundle, List.of(),
                    "random weights (seed " + seed + ") of " + (config.config != null ? config.config : "configs/pusht.yaml"), o);
        }
        if (policy == null) throw new UserError("give --policy DPCKPT (and --predictor PCKPT), or --random-weights with --config");
        return StepServedPolicy.load(policy, predictors, o);
    }
}
