package org.steppolicy.infer.runtime;

import org.steppolicy.models.NetworkDefinition;
import org.steppolicy.models.TensorStore;

/** The warm-start predictor on ONNX Runtime, with buffers reused across calls. */
public final class OnnxChunkPredictor extends NetChunkPredictor {

    /** @param model ModelProto bytes with inputs obs[/prev_action] and output action_pred */
    public OnnxChunkPredictor(byte[] model, int horizon, int actionDim, boolean usesPrevious, int threads) {
        super(new OrtModel(model, inputs(usesPrevious), ACTION_PRED, threads), horizon, actionDim, usesPrevious);
    }

    public static OnnxChunkPredictor of(NetworkDefinition net, TensorStore params, int horizon, int actionDim,
                                        boolean usesPrevious, int threads) {
        byte[] model = org.steppolicy.models.OnnxBuilder.export(net, params, "predictor").toByteArray();
        return new OnnxChunkPredictor(model, horizon, actionDim, usesPrevious, threads);
    }
}
