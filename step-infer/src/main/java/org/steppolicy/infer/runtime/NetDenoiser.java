package org.steppolicy.infer.runtime;

import java.nio.FloatBuffer;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.models.ConditionalUnet1d;

/**
 * The U-Net's graph inputs ({@code sample}, {@code timestep} as float, {@code global_cond} unless inpainting) fed
 * from the {@link Denoiser} arrays; the runtime is whatever {@link CompiledNet} sits behind it.
 */
abstract class NetDenoiser implements Denoiser {
    private final CompiledNet net;
    private final int horizon, inputDim, condDim;

    NetDenoiser(CompiledNet net, int horizon, int inputDim, int condDim) {
        this.net = net;
        this.horizon = horizon;
        this.inputDim = inputDim;
        this.condDim = condDim;
        if (net.perItem(ConditionalUnet1d.SAMPLE) != horizon * inputDim)
            throw new IllegalArgumentException("denoiser graph sample has " + net.perItem(ConditionalUnet1d.SAMPLE)
                    + " values per item, expected horizon " + horizon + " x input dim " + inputDim);
        if (condDim > 0 && net.perItem(ConditionalUnet1d.GLOBAL_COND) != condDim)
            throw new IllegalArgumentException("denoiser graph global_cond has " + net.perItem(ConditionalUnet1d.GLOBAL_COND)
                    + " values, expected " + condDim);
    }

    /** The graph inputs of a denoiser with this condition size, in the U-Net's declaration order. */
    static java.util.List<String> inputs(int condDim) {
        return condDim > 0
                ? java.util.List.of(ConditionalUnet1d.SAMPLE, ConditionalUnet1d.TIMESTEP, ConditionalUnet1d.GLOBAL_COND)
                : java.util.List.of(ConditionalUnet1d.SAMPLE, ConditionalUnet1d.TIMESTEP);
    }

    @Override public int horizon() { return horizon; }

    @Override public int inputDim() { return inputDim; }

    @Override public int condDim() { return condDim; }

    @Override
    public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
        net.input(ConditionalUnet1d.SAMPLE, batch).put(x, 0, batch * horizon * inputDim);
        FloatBuffer ts = net.input(ConditionalUnet1d.TIMESTEP, batch);
        for (int i = 0; i < batch; i++) ts.put(i, t[i]);
        if (condDim > 0) net.input(ConditionalUnet1d.GLOBAL_COND, batch).put(cond, 0, batch * condDim);
        net.run(batch, out);
    }

    @Override
    public void close() {
        net.close();
    }
}
