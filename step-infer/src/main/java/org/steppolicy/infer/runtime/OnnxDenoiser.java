package org.steppolicy.infer.runtime;

import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.TensorStore;

/**
 * The U-Net on ONNX Runtime: the ONNX rendering of the one {@link ConditionalUnet1d} definition with the given
 * (EMA) weights, or an exported dp.onnx. Inputs and the output live in direct buffers reused across calls.
 */
public final class OnnxDenoiser extends NetDenoiser {

    /** @param model ModelProto bytes with inputs sample/timestep[/global_cond] and output noise_pred */
    public OnnxDenoiser(byte[] model, int horizon, int inputDim, int condDim, int threads) {
        super(new OrtModel(model, inputs(condDim), ConditionalUnet1d.NOISE_PRED, threads), horizon, inputDim, condDim);
    }

    public static OnnxDenoiser of(ConditionalUnet1d net, TensorStore params, int threads) {
        return new OnnxDenoiser(net.toOnnx(params).toByteArray(), net.horizon(), net.config().inputDim(),
                net.config().globalCondDim(), threads);
    }
}
