package org.steppolicy.infer;

import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.StochasticInterpolant;

/**
 * A trained BRIDGeR policy behind one runtime (docs/bridger.md): its networks, the interpolant and source it was
 * trained with, and its normaliser (which must equal the DP's it is evaluated beside: the runner normalises the
 * observations once for every method). Only the gaussian source exists so far.
 */
public record BridgerModel(BridgeNetwork network, StochasticInterpolant interpolant, String source,
                           DatasetNormalizer normalization) implements AutoCloseable {
    public BridgerModel {
        if (!"gaussian".equals(source)) throw new IllegalArgumentException("BRIDGeR source '" + source + "' is not supported (gaussian only)");
    }

    @Override
    public void close() {
        network.close();
    }
}
