package org.steppolicy.infer.runtime;

import org.steppolicy.infer.BridgerModel;
import org.steppolicy.infer.ChunkSource;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.BridgerArch;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;

/**
 * A trained BRIDGeR policy before a runtime is chosen (docs/bridger.md): its architecture, (EMA) weights and
 * normaliser. Immutable; {@link #open} gives one runtime instance per runner.
 *
 * @param sourceParams the CVAE source's decoder weights when arch's source is cvae; null for gaussian
 */
public record BridgerBundle(BridgerArch arch, TensorStore params, DatasetNormalizer normalization, TensorStore sourceParams) {
    public BridgerBundle {
        if ((arch.cvae() != null) != (sourceParams != null))
            throw new IllegalArgumentException("a BRIDGeR " + arch.source() + " source " + (sourceParams == null ? "needs" : "takes no") + " decoder weights");
    }

    /** A gaussian-source BRIDGeR. */
    public BridgerBundle(BridgerArch arch, TensorStore params, DatasetNormalizer normalization) {
        this(arch, params, normalization, null);
    }

    /** A train-bridger checkpoint (or run folder: its latest). */
    public static BridgerBundle fromCheckpoint(java.nio.file.Path dir) {
        Checkpoint c = PolicyLoader.load(dir, Checkpoint.KIND_BRIDGER);
        BridgerArch arch = c.bridgerArch();
        return new BridgerBundle(arch, c.evalParams(),
                NormalizerJson.parse(c.normalizerJson(), c.dir().resolve(Checkpoint.NORMALIZER).toString()),
                arch.cvae() == null ? null : c.extraTensors(Checkpoint.SOURCE_TENSORS));
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
        ChunkSource source = arch.cvae() == null ? ChunkSource.GAUSSIAN : switch (runtime) {
            case ONNX -> CvaeChunkSource.onnx(arch.cvae().decoder(), sourceParams, threads);
            case SAMEDIFF -> CvaeChunkSource.sameDiff(arch.cvae().decoder(), sourceParams);
        };
        return new BridgerModel(net, arch.interpolant(), source, normalization);
    }
}
