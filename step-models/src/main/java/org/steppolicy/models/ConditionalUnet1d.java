package org.steppolicy.models;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Diffusion Policy's ConditionalUnet1D (docs/reference/diffusion-policy.md §A.1), described once on a {@link NetBuilder}.
 *
 * <p>Graph inputs: {@value #SAMPLE} {@code [B, horizon, inputDim]} float; {@value #TIMESTEP} {@code [B]} float
 * (the integer diffusion step as a float); {@value #GLOBAL_COND} {@code [B, globalCondDim]} float (absent in
 * inpainting mode, {@code globalCondDim == 0}). Output: {@value #NOISE_PRED} {@code [B, horizon, inputDim]}.
 * The batch axis is dynamic; the horizon is fixed when the graph is built (divisible by 2^(levels-1)).
 *
 * <p>Parameters carry PyTorch's state_dict keys ({@code down_modules.0.0.blocks.0.block.0.weight}, ...) in the
 * matmul layout of {@link ParamSpec}. Use:
 * <pre>{@code
 * ConditionalUnet1d net = new ConditionalUnet1d(UnetConfig.of(2, 40, List.of(64, 128, 256), 256), 16);
 * TensorStore p = net.initParams(42);
 * SameDiff sd = SameDiff.create();
 * SDVariable eps = net.buildSameDiff(sd, p);            // placeholders "sample", "timestep", "global_cond"
 * Onnx.ModelProto onnx = net.toOnnx(p);                  // same graph for ONNX Runtime
 * }</pre>
 * The mish applied to the condition at the start of every residual block's cond encoder is computed once
 * and shared (same values as PyTorch's per-block Mish).
 */
public final class ConditionalUnet1d implements NetworkDefinition {

    public static final String SAMPLE = "sample";
    public static final String TIMESTEP = "timestep";
    public static final String GLOBAL_COND = "global_cond";
    public static final String NOISE_PRED = "noise_pred";

    private final UnetConfig cfg;
    private final int horizon;

    public ConditionalUnet1d(UnetConfig cfg, int horizon) {
        int levels = cfg.downDims().size();
        int factor = 1 << Math.max(0, levels - 1);
        if (horizon <= 0 || horizon % factor != 0) {
            throw new IllegalArgumentException("horizon " + horizon + " must be a positive multiple of " + factor
                    + " for " + levels + " U-Net levels");
        }
        this.cfg = cfg;
        this.horizon = horizon;
    }

    public UnetConfig config() {
        return cfg;
    }

    public int horizon() {
        return horizon;
    }

    @Override
    public List<String> inputNames() {
        return cfg.inpainting() ? List.of(SAMPLE, TIMESTEP) : List.of(SAMPLE, TIMESTEP, GLOBAL_COND);
    }

    @Override
    public String outputName() {
        return NOISE_PRED;
    }




    /**
     * Adds the network to {@code sd} (placeholders {@value #SAMPLE}, {@value #TIMESTEP}, {@value #GLOBAL_COND},
     * dynamic batch) and returns the {@value #NOISE_PRED} variable; the parameters become trainable variables
     * named by {@link #parameters()}. The U-Net has no dropout, so the same graph serves training and inference:
     * add the DP objective on top (e.g. MSE against a {@code noise} placeholder) and set it as loss variable.
     */
    public SDVariable buildSameDiff(SameDiff sd, TensorStore params) {
        define(new SameDiffBuilder(sd, params, true));
        return sd.getVariable(NOISE_PRED);
    }

    /** The network with these weights as an ONNX model (opset 17, dynamic batch). */
    public onnx.Onnx.ModelProto toOnnx(TensorStore params) {
        return OnnxBuilder.export(this, params, "conditional_unet1d");
    }

    @Override
    public <T> void define(NetBuilder<T> b) {
        T sample = b.input(SAMPLE, -1, horizon, cfg.inputDim());
        T timestep = b.input(TIMESTEP, -1);
        T globalCond = cfg.inpainting() ? null : b.input(GLOBAL_COND, -1, cfg.globalCondDim());
        b.output(NOISE_PRED, denoise(b, sample, timestep, globalCond));
    }

    /**
     * The U-Net applied to given values (graph inputs here, or an image encoder's output in
     * {@link ImageDiffusionPolicy}): returns the noise prediction {@code [B, horizon, inputDim]}.
     */
    public <T> T denoise(NetBuilder<T> b, T sample, T timestep, T globalCond) {
        int dsed = cfg.diffusionStepEmbedDim();
        // Diffusion step encoder: SinusoidalPosEmb -> Linear -> Mish -> Linear.
        T emb = b.mul(b.reshape(timestep, -1, 1), b.constant(stepFrequencies(dsed), 1, dsed / 2));
        emb = b.concat(1, List.of(b.sin(emb), b.cos(emb)));
        emb = Layers.linear(b, "diffusion_step_encoder.1", emb, dsed, 4 * dsed);
        emb = Layers.linear(b, "diffusion_step_encoder.3", b.mish(emb), 4 * dsed, dsed);
        T globalFeature = globalCond == null ? emb : b.concat(1, List.of(emb, globalCond));
        int condDim = dsed + cfg.globalCondDim();
        T cond = b.mish(globalFeature);

        List<Integer> downDims = cfg.downDims();
        List<Integer> allDims = new ArrayList<>();
        allDims.add(cfg.inputDim());
        allDims.addAll(downDims);
        int levels = downDims.size();

        T x = b.permute(sample, 0, 2, 1);
        Deque<T> skips = new ArrayDeque<>();
        for (int i = 0; i < levels; i++) {
            int in = allDims.get(i), out = allDims.get(i + 1);
            String p = "down_modules." + i;
            x = residual(b, p + ".0", x, cond, in, out, condDim);
            x = residual(b, p + ".1", x, cond, out, out, condDim);
            skips.push(x);
            if (i < levels - 1) x = Layers.conv1d(b, p + ".2.conv", x, out, out, 3, 2, 1);
        }
        int mid = allDims.get(levels);
        x = residual(b, "mid_modules.0", x, cond, mid, mid, condDim);
        x = residual(b, "mid_modules.1", x, cond, mid, mid, condDim);
        // Up levels consume the deepest skips first; the level-0 skip is never used (§A.1).
        for (int j = 0; j < levels - 1; j++) {
            int i = levels - 1 - j;               // in_out[i] = (allDims[i], allDims[i+1])
            int in = allDims.get(i), out = allDims.get(i + 1);
            String p = "up_modules." + j;
            x = b.concat(1, List.of(x, skips.pop()));
            x = residual(b, p + ".0", x, cond, 2 * out, in, condDim);
            x = residual(b, p + ".1", x, cond, in, in, condDim);
            x = Layers.convTranspose1d(b, p + ".2.conv", x, in, in, 4, 2, 1);
        }
        int start = downDims.get(0);
        x = convBlock(b, "final_conv.0", x, start, start);
        x = Layers.conv1d(b, "final_conv.1", x, start, cfg.inputDim(), 1, 1, 0);
        return b.permute(x, 0, 2, 1);
    }

    /** ConditionalResidualBlock1D; {@code mishCond} is Mish(global feature), shared by all blocks. */
    private <T> T residual(NetBuilder<T> b, String p, T x, T mishCond, int in, int out, int condDim) {
        T h = convBlock(b, p + ".blocks.0", x, in, out);
        if (cfg.condPredictScale()) {
            T e = Layers.linear(b, p + ".cond_encoder.1", mishCond, condDim, 2 * out);
            h = b.film(h, e);
        } else {
            T e = Layers.linear(b, p + ".cond_encoder.1", mishCond, condDim, out);
            h = b.add(h, b.reshape(e, -1, out, 1));
        }
        h = convBlock(b, p + ".blocks.1", h, out, out);
        T r = in != out ? Layers.conv1d(b, p + ".residual_conv", x, in, out, 1, 1, 0) : x;
        return b.add(h, r);
    }

    /** Conv1dBlock: Conv1d(k, padding k/2) -> GroupNorm -> Mish. */
    private <T> T convBlock(NetBuilder<T> b, String p, T x, int in, int out) {
        int k = cfg.kernelSize();
        T h = Layers.conv1d(b, p + ".block.0", x, in, out, k, 1, k / 2);
        h = Layers.groupNorm(b, p + ".block.1", h, cfg.nGroups(), out);
        return b.mish(h);
    }

    /** SinusoidalPosEmb frequencies f_k = exp(-k ln(10000) / (half - 1)), §A.1. */
    static float[] stepFrequencies(int dim) {
        int half = dim / 2;
        float[] f = new float[half];
        double step = Math.log(10000) / (half - 1);
        for (int k = 0; k < half; k++) f[k] = (float) Math.exp(-k * step);
        return f;
    }
}
