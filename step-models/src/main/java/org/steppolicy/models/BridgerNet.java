package org.steppolicy.models;

import java.util.List;

/**
 * BRIDGeR's two networks as one graph (docs/bridger.md): the velocity U-Net and the score U-Net, each the project's
 * {@link ConditionalUnet1d} description (parameters under {@value #VELOCITY} and {@value #SCORE}), fed the same
 * inputs: {@code sample} [B, horizon, Da] (x_t), {@code timestep} [B] (the interpolant time t in [0, 1], as BRIDGeR
 * feeds it to the sinusoidal embedding) and {@code global_cond} [B, To·Do]. Output {@value #OUTPUT}
 * [B, horizon, 2·Da]: per time step the Da velocity values, then the Da score values. One graph means one runtime
 * call per sampler step and one EMA over both networks, rendered to SameDiff and ONNX like every network here.
 */
public final class BridgerNet implements NetworkDefinition {
    public static final String VELOCITY = "velocity.", SCORE = "score.", OUTPUT = "bridger_pred";

    /**
     * What each of the two networks is: (sample [B, horizon, Da], timestep [B], global_cond [B, C]) to [B, horizon, Da],
     * its parameters declared on the builder it is given. The U-Net in every policy; tests use a small MLP, because
     * SameDiff's per-op cost makes even a one-level U-Net pair too slow to train to convergence in a unit test.
     */
    public interface Body {
        int horizon();

        int actionDim();

        int condDim();

        <T> T apply(NetBuilder<T> b, T sample, T timestep, T globalCond);
    }

    private final Body body;

    public BridgerNet(ConditionalUnet1d unet) {
        this(unetBody(unet));
    }

    public BridgerNet(Body body) {
        this.body = body;
    }

    private static Body unetBody(ConditionalUnet1d unet) {
        if (unet.config().inpainting()) throw new IllegalArgumentException("BRIDGeR needs a global-condition U-Net (obs_as_global_cond)");
        return new Body() {
            @Override public int horizon() { return unet.horizon(); }
            @Override public int actionDim() { return unet.config().inputDim(); }
            @Override public int condDim() { return unet.config().globalCondDim(); }
            @Override public <T> T apply(NetBuilder<T> b, T sample, T timestep, T globalCond) {
                return unet.denoise(b, sample, timestep, globalCond);
            }
        };
    }

    public int horizon() { return body.horizon(); }

    public int actionDim() { return body.actionDim(); }

    public int condDim() { return body.condDim(); }

    @Override
    public <T> void define(NetBuilder<T> b) {
        T sample = b.input(ConditionalUnet1d.SAMPLE, -1, horizon(), actionDim());
        T time = b.input(ConditionalUnet1d.TIMESTEP, -1);
        T cond = b.input(ConditionalUnet1d.GLOBAL_COND, -1, condDim());
        T v = body.apply(new PrefixedBuilder<>(b, VELOCITY), sample, time, cond);
        T s = body.apply(new PrefixedBuilder<>(b, SCORE), sample, time, cond);
        b.output(OUTPUT, b.concat(2, List.of(v, s)));
    }

    @Override
    public List<String> inputNames() {
        return List.of(ConditionalUnet1d.SAMPLE, ConditionalUnet1d.TIMESTEP, ConditionalUnet1d.GLOBAL_COND);
    }

    @Override
    public String outputName() { return OUTPUT; }

    /** The ONNX rendering with these weights (opset 17, dynamic batch). */
    public onnx.Onnx.ModelProto toOnnx(TensorStore params) {
        return OnnxBuilder.export(this, params, "bridger");
    }
}
