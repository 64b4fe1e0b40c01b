package org.steppolicy.infer.policy;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.runtime.RuntimeKind;

/**
 * How {@link StepPolicy#load} opens a policy; everything the model knows comes from the model instead.
 *
 * @param predictors predictor checkpoints (run or checkpoint folders) when the DP folder holds none: one of kind
 *                   "step" for step and predictor, one of kind "spatial" for spatial; read at load only
 * @param runtime    ONNX Runtime (default) or SameDiff; export-onnx folders run on ONNX Runtime only
 * @param threads    intra-op threads per network (ONNX Runtime); 1 suits batch-1 control loops
 * @param settings   warm start, perturbation, cold start and solver defaults the method spec is resolved against
 *                   (not K′: that is the spec's step count)
 * @param seed       the noise seed until the first {@code reset(seed)}
 */
public record PolicyOptions(List<Path> predictors, RuntimeKind runtime, int threads, InferenceSettings settings, long seed) {
    public PolicyOptions {
        predictors = List.copyOf(predictors);
        if (runtime == null || settings == null) throw new IllegalArgumentException("runtime and settings must be given");
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0 (0: the runtime chooses), got " + threads);
    }

    public static PolicyOptions defaults() {
        return new PolicyOptions(List.of(), RuntimeKind.ONNX, 1, InferenceSettings.defaults(), 0);
    }

    public PolicyOptions withPredictors(Path... dirs) {
        return new PolicyOptions(List.of(dirs), runtime, threads, settings, seed);
    }

    public PolicyOptions withRuntime(RuntimeKind r) {
        return new PolicyOptions(predictors, r, threads, settings, seed);
    }

    public PolicyOptions withThreads(int n) {
        return new PolicyOptions(predictors, runtime, n, settings, seed);
    }

    public PolicyOptions withSettings(InferenceSettings s) {
        return new PolicyOptions(predictors, runtime, threads, s, seed);
    }

    public PolicyOptions withSeed(long s) {
        return new PolicyOptions(predictors, runtime, threads, settings, s);
    }
}
