package org.steppolicy.infer.runtime;

import org.steppolicy.models.NetworkDefinition;
import org.steppolicy.models.TensorStore;

/** The warm-start predictor on SameDiff (reference runtime), clearing its inference sessions periodically. */
public final class SameDiffChunkPredictor extends NetChunkPredictor {

    public SameDiffChunkPredictor(NetworkDefinition net, TensorStore params, int horizon, int actionDim, boolean usesPrevious) {
        super(new SameDiffModel(net, params, inputs(usesPrevious), ACTION_PRED, SameDiffModel.DEFAULT_CLEAR_EVERY),
                horizon, actionDim, usesPrevious);
    }
}
