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

    /**
     * Refuses, with {@link org.steppolicy.infer.MissingPredictor}'s one message, a method whose predictor kind
     * (or BRIDGeR model) this policy lacks; {@code label} is the method as the user wrote it (e.g. step:2).
     */
    default void requirePredictor(String label, Method method) {
        String kind = method.predictorKind();
        if (kind != null && !predictorKinds().contains(kind))
            throw org.steppolicy.infer.MissingPredictor.error(label, kind, source(), predictorKinds());
    }

    /** The folders the models came from, with checkpoint steps. */
    String provenance();

    /** What a message names the policy by: the folder as given (a description such as "random weights" for bundles in memory). */
    String source();

    /** The DP as read from checkpoints (networks, normaliser and scheduler in memory), or null for an export-onnx folder. */
    PolicyBundle checkpoint();

    /** The predictors read from checkpoints, the "step" one first (empty for an export-onnx folder). */
    List<PredictorBundle> predictorBundles();

    /** True for an export-onnx folder (ONNX Runtime only, its own predictors). */
    default boolean exported() { return checkpoint() == null; }

    /** An image policy's observation layout (low-dim values beside the frame, crop size); null for a low-dim policy. */
    OnnxExportFolder.ImageInput image();

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
     * The one loader of a policy named on the command line ({@code --policy DIR [--predictor DIR]...}) or through the
     * API. Reads {@code dir}: an export-onnx folder (policy.json, dp.onnx[, predictor.onnx]), or a DP checkpoint folder
     * or run folder (its latest checkpoint), with the predictor checkpoints given apart. An unsupported noise
     * scheduler, a missing file or a mismatch is a {@link org.steppolicy.config.UserError} with a one-line message.
     */
    static TrainedPolicy load(Path dir, List<Path> predictorDirs) {
        if (OnnxExportFolder.isExport(dir)) return ExportedPolicy.read(dir, predictorDirs);
        return CheckpointPolicy.read(dir, predictorDirs);
    }

    /** The one refusal of predictor checkpoints given beside an export-onnx folder (it carries its own predictors). */
    static org.steppolicy.config.UserError predictorsWithExport(Path dir) {
        return new org.steppolicy.config.UserError(dir + ": an export-onnx folder carries its own predictors; pass no --predictor with it"
                + " (step export-onnx --policy " + dir + " --predictor CKPT --out NEW adds one, or a BRIDGeR model)");
    }

    /** An export-onnx folder already read (its predictors are the only ones). */
    static TrainedPolicy of(OnnxExportFolder export) {
        return new ExportedPolicy(export);
    }

    /** Bundles already in memory (e.g. from {@link org.steppolicy.infer.runtime.PolicyLoader}). */
    static TrainedPolicy of(PolicyBundle dp, List<PredictorBundle> predictors, String provenance) {
        return CheckpointPolicy.of(dp, predictors, provenance, provenance);
    }
}
