package org.steppolicy.infer.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.steppolicy.infer.Method;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.infer.runtime.OnnxExportFolder;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.infer.runtime.RuntimeKind;

/**
 * A trained policy loaded once: the DP with its normaliser and noise scheduler and any predictors, from training
 * checkpoints or an export-onnx folder. Immutable, so one instance may back any number of {@link StepPolicy}
 * sessions on any threads; each session opens its own runtime instances through {@link #open}.
 */
public sealed interface TrainedPolicy permits CheckpointPolicy, ExportedPolicy {

    PolicyShape shape();

    /** The noise scheduler the DP was trained with, as its checkpoint or policy.json records it. */
    SchedulerConfig scheduler();

    /** The predictor kinds loaded ("step", "spatial"): a method whose {@link Method#predictorKind()} is missing cannot open. */
    Set<String> predictorKinds();

    /** The folders the models came from, with checkpoint steps. */
    String provenance();

    /** Fresh runtime instances of the DP and of the predictor the method reads (if any); the caller closes them. */
    PolicyModels open(Method method, RuntimeKind runtime, int threads);

    /** {@link #open} on one runtime, as a {@link ModelSource}. */
    default ModelSource source(RuntimeKind runtime, int threads) {
        TrainedPolicy self = this;
        return new ModelSource() {
            @Override
            public PolicyModels open(Method method) { return self.open(method, runtime, threads); }

            @Override
            public String provenance() { return self.provenance() + " on " + runtime.id(); }
        };
    }

    /**
     * Reads {@code dir}: an export-onnx folder (policy.json, dp.onnx[, predictor.onnx]), or a DP checkpoint folder
     * or run folder (its latest checkpoint), with the predictor checkpoints given apart. An unsupported noise
     * scheduler, a missing file or a mismatch is a {@link org.steppolicy.config.UserError} with a one-line message.
     */
    static TrainedPolicy load(Path dir, List<Path> predictorDirs) {
        if (OnnxExportFolder.isExport(dir)) return ExportedPolicy.read(dir, predictorDirs);
        return CheckpointPolicy.read(dir, predictorDirs);
    }

    /** An export-onnx folder already read (its predictors are the only ones). */
    static TrainedPolicy of(OnnxExportFolder export) {
        return new ExportedPolicy(export);
    }

    /** Bundles already in memory (e.g. from {@link org.steppolicy.infer.runtime.PolicyLoader}). */
    static TrainedPolicy of(PolicyBundle dp, List<PredictorBundle> predictors, String provenance) {
        return CheckpointPolicy.of(dp, predictors, provenance);
    }
}
