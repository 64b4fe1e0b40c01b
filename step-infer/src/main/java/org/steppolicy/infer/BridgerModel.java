package org.steppolicy.infer;

import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.StochasticInterpolant;

/**
 * A trained BRIDGeR policy behind one runtime (docs/bridger.md): its networks, the interpolant and source it was
 * trained with, and its normaliser (which must equal the DP's it is evaluated beside: the runner normalises the
 * observations once for every method).
 */
public record BridgerModel(BridgeNetwork network, StochasticInterpolant interpolant, ChunkSource source,
                           DatasetNormalizer normalization) implements AutoCloseable {
    /** A gaussian-source model. */
    public BridgerModel(BridgeNetwork network, StochasticInterpolant interpolant, DatasetNormalizer normalization) {
        this(network, interpolant, ChunkSource.GAUSSIAN, normalization);
    }

    @Override
    public void close() {
        network.close();
        source.close();
    }
}
