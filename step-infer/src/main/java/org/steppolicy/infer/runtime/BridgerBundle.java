package org.steppolicy.infer.runtime;

import org.steppolicy.infer.BridgerModel;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.BridgerArch;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;

/**
 * A trained BRIDGeR policy before a runtime is chosen (docs/bridger.md): its architecture, (EMA) weights and
 * normaliser. Immutable; {@link #open} gives one runtime instance per runner.
 */
public record BridgerBundle(BridgerArch arch, TensorStore params, DatasetNormalizer normalization) {

    /** A train-bridger checkpoint (or run folder: its latest). */
    public static BridgerBundle fromCheckpoint(java.nio.file.Path dir) {
        Checkpoint c = PolicyLoader.load(dir, Checkpoint.KIND_BRIDGER);
        return new BridgerBundle(c.bridgerArch(), c.evalParams(),
                NormalizerJson.parse(c.normalizerJson(), c.dir().resolve(Checkpoint.NORMALIZER).toString()));
    }

    /** Whether {@code dir} (a checkpoint or run folder) holds a BRIDGeR checkpoint. */
    public static boolean isBridger(java.nio.file.Path dir) {
        return Checkpoint.KIND_BRIDGER.equals(Checkpoint.readMeta(Checkpoint.resolve(dir)).kind());
    }

    public BridgerModel open(RuntimeKind runtime, int threads) {
        var net = switch (runtime) {
            case ONNX -> NetBridgeNetwork.onnx(arch.net(), params, threads);
            case SAMEDIFF -> NetBridgeNetwork.sameDiff(arch.net(), params);
        };
        return new BridgerModel(net, arch.interpolant(), arch.source(), normalization);
    }
}
