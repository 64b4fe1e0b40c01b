package org.steppolicy.infer.runtime;

import java.nio.FloatBuffer;
import java.util.List;
import org.steppolicy.infer.BridgeNetwork;
import org.steppolicy.models.BridgerNet;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.TensorStore;

/**
 * BRIDGeR's {@link BridgerNet} graph (inputs sample, timestep = t, global_cond; output [B, H, 2·Da]) behind either
 * runtime, split into the velocity and score halves the sampler reads.
 */
public final class NetBridgeNetwork implements BridgeNetwork {
    private static final List<String> INPUTS = List.of(ConditionalUnet1d.SAMPLE, ConditionalUnet1d.TIMESTEP, ConditionalUnet1d.GLOBAL_COND);

    private final CompiledNet net;
    private final int horizon, actionDim, condDim;
    private float[] out = new float[0];

    private NetBridgeNetwork(CompiledNet net, int horizon, int actionDim, int condDim) {
        this.net = net;
        this.horizon = horizon;
        this.actionDim = actionDim;
        this.condDim = condDim;
        if (net.perItem(ConditionalUnet1d.SAMPLE) != horizon * actionDim || net.perItem(ConditionalUnet1d.GLOBAL_COND) != condDim
                || net.perItem(BridgerNet.OUTPUT) != 2 * horizon * actionDim)
            throw new IllegalArgumentException("BRIDGeR graph shapes do not match horizon " + horizon + ", action dim " + actionDim
                    + ", condition " + condDim);
    }

    /** The graph on ONNX Runtime from ModelProto bytes (an exported bridger.onnx or a fresh rendering). */
    public static NetBridgeNetwork onnx(byte[] model, int horizon, int actionDim, int condDim, int threads) {
        return new NetBridgeNetwork(new OrtModel(model, INPUTS, BridgerNet.OUTPUT, threads), horizon, actionDim, condDim);
    }

    public static NetBridgeNetwork onnx(BridgerNet net, TensorStore params, int threads) {
        return onnx(net.toOnnx(params).toByteArray(), net.horizon(), net.actionDim(), net.condDim(), threads);
    }

    public static NetBridgeNetwork sameDiff(BridgerNet net, TensorStore params) {
        return new NetBridgeNetwork(new SameDiffModel(net, params, INPUTS, BridgerNet.OUTPUT, SameDiffModel.DEFAULT_CLEAR_EVERY),
                net.horizon(), net.actionDim(), net.condDim());
    }

    @Override public int horizon() { return horizon; }
    @Override public int actionDim() { return actionDim; }
    @Override public int condDim() { return condDim; }

    @Override
    public void predict(float[] x, float t, float[] cond, int batch, float[] velocity, float[] score) {
        int per = horizon * actionDim;
        net.input(ConditionalUnet1d.SAMPLE, batch).put(x, 0, batch * per);
        FloatBuffer ts = net.input(ConditionalUnet1d.TIMESTEP, batch);
        for (int i = 0; i < batch; i++) ts.put(i, t);
        net.input(ConditionalUnet1d.GLOBAL_COND, batch).put(cond, 0, batch * condDim);
        if (out.length < 2 * batch * per) out = new float[2 * batch * per];
        net.run(batch, out);
        for (int r = 0; r < batch * horizon; r++) {
            System.arraycopy(out, r * 2 * actionDim, velocity, r * actionDim, actionDim);
            System.arraycopy(out, r * 2 * actionDim + actionDim, score, r * actionDim, actionDim);
        }
    }

    @Override
    public void close() {
        net.close();
    }
}
