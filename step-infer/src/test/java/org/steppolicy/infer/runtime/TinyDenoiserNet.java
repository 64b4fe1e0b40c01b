package org.steppolicy.infer.runtime;

import java.util.List;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.NetBuilder;
import org.steppolicy.models.NetworkDefinition;
import org.steppolicy.models.ParamSpec;

/**
 * A denoiser-shaped network of a dozen ops (the U-Net's input and output names, horizon 16, dim 2, cond 40):
 * enough to exercise a runtime's per-call path thousands of times in a second or two.
 */
final class TinyDenoiserNet implements NetworkDefinition {
    static final int H = 16, D = 2, COND = 40;
    private final int blocks;

    /** @param blocks extra residual Mish blocks of five ops each (SameDiff's per-call bookkeeping grows with ops) */
    TinyDenoiserNet(int blocks) {
        this.blocks = blocks;
    }

    @Override
    public <T> void define(NetBuilder<T> b) {
        T sample = b.input(ConditionalUnet1d.SAMPLE, -1, H, D);
        T t = b.input(ConditionalUnet1d.TIMESTEP, -1);
        T cond = b.input(ConditionalUnet1d.GLOBAL_COND, -1, COND);
        T w = b.param("w", new ParamSpec(new long[] {COND, H * D}, new ParamSpec.Uniform(0.2)));
        T bias = b.param("b", new ParamSpec(new long[] {H * D}, new ParamSpec.Uniform(0.2)));
        T h = b.mish(b.linear(cond, w, bias));
        for (int i = 0; i < blocks; i++) h = b.add(h, b.mish(b.scale(h, 0.5)));
        h = b.add(h, b.mul(b.reshape(t, -1, 1), b.constant(new float[] {0.01f}, 1, 1)));
        b.output(ConditionalUnet1d.NOISE_PRED, b.add(sample, b.reshape(h, -1, H, D)));
    }

    @Override
    public List<String> inputNames() {
        return List.of(ConditionalUnet1d.SAMPLE, ConditionalUnet1d.TIMESTEP, ConditionalUnet1d.GLOBAL_COND);
    }

    @Override
    public String outputName() {
        return ConditionalUnet1d.NOISE_PRED;
    }
}
