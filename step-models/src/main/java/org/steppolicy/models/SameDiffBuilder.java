package org.steppolicy.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Renders a {@link NetworkDefinition} into a SameDiff graph: inputs become float placeholders, parameters become
 * trainable variables named with their PyTorch state_dict keys, in the matmul layout of {@link ParamSpec}.
 *
 * <p>Every op here costs about 20 µs of executor time per call (docs/reference/runtime-notes.md), so each NetBuilder op is
 * rendered with as few SameDiff ops as the semantics allow. Known traps avoided: the built-in mish (no gradient)
 * is written as x·tanh(softplus(x)); ConvTranspose1d is deconv2d on a height-1 axis. Training renderings hold
 * convolution outputs time-major ({@link TimeMajorOps}) and images pixel-major ({@link PixelMajorOps}); the layout is
 * internal: shapes, names and results are the same as in the channels-first inference rendering.
 *
 * <pre>{@code
 * SameDiff sd = SameDiffBuilder.build(net, params, true);      // training graph (dropout on)
 * TensorStore now = SameDiffBuilder.readParams(sd, net params); // after training steps
 * }</pre>
 */
public final class SameDiffBuilder implements NetBuilder<SDVariable> {

    private final SameDiff sd;
    private final Function<String, INDArray> values;
    private final DataType dtype;
    private final boolean training;
    private final long batchSize;
    private final Map<String, long[]> shapes = new HashMap<>();
    private final List<String> paramNames = new ArrayList<>();
    /**
     * Values held time-major: logical {@code [B, C, L]} (the shape in {@link #shapes}) stored as {@code [L, B, C]}
     * (see {@link TimeMajorOps}). Convolutions produce them; GroupNorm, FiLM, Mish, same-shape adds and channel concats
     * keep them; every other op gets the channels-first value ({@link #cf}).
     */
    private final java.util.Set<String> timeMajor = new java.util.HashSet<>();
    /** Images held pixel-major: logical {@code [B, C, H, W]} stored as the matrix {@code [H·W·B, C]} (see {@link PixelMajorOps}). */
    private final java.util.Set<String> pixelMajor = new java.util.HashSet<>();
    private final Map<String, SDVariable> channelsFirst = new HashMap<>(), timeMajorOf = new HashMap<>(), pixelMajorOf = new HashMap<>();
    private final TimeMajorOps seq;
    private final PixelMajorOps pix;
    /**
     * Training renderings hold convolution outputs time-major: at batch 256 that made the U-Net's training step ~30 %
     * faster. Inference renderings keep ND4J's conv1d: at batch 1 the executor's per-op cost dominates and the
     * time-major form has twice the ops (measured: U-Net [64,128,256] batch-1 forward 73 ms vs 21 ms).
     */
    private final boolean timeMajorSequences;

    /**
     * @param values the initial value of each parameter by name (shape must match the declaration)
     * @param dtype  FLOAT for use; DOUBLE for exact cross-checks
     */
    public SameDiffBuilder(SameDiff sd, Function<String, INDArray> values, DataType dtype, boolean training) {
        this(sd, values, dtype, training, -1);
    }

    private SameDiffBuilder(SameDiff sd, Function<String, INDArray> values, DataType dtype, boolean training, long batchSize) {
        this.sd = sd;
        this.values = values;
        this.dtype = dtype;
        this.training = training;
        this.batchSize = batchSize;
        this.seq = new TimeMajorOps(sd, dtype);
        this.pix = new PixelMajorOps(sd, dtype);
        this.timeMajorSequences = training;
        PlatformHelpers.attach(sd);
    }

    /**
     * A training rendering with a fixed batch size: placeholders take {@code batchSize} instead of a dynamic
     * batch, which dropout needs (SameDiff draws masks of a static shape). Networks without dropout (the U-Net)
     * can use the dynamic-batch constructors for training too.
     */
    public static SameDiffBuilder forTraining(SameDiff sd, TensorStore params, int batchSize) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive: " + batchSize);
        return new SameDiffBuilder(sd, storeValues(params), DataType.FLOAT, true, batchSize);
    }

    private static Function<String, INDArray> storeValues(TensorStore params) {
        return name -> {
            TensorStore.Tensor t = params.get(name);
            return Nd4j.create(t.data(), t.shape(), 'c');
        };
    }

    /** Float graph with parameter values from a store. */
    public SameDiffBuilder(SameDiff sd, TensorStore params, boolean training) {
        this(sd, storeValues(params), DataType.FLOAT, training);
    }

    /** A new SameDiff holding the network with the given parameter values. */
    public static SameDiff build(NetworkDefinition net, TensorStore params, boolean training) {
        SameDiff sd = SameDiff.create();
        net.define(new SameDiffBuilder(sd, params, training));
        return sd;
    }

    /** Current values of the named variables, copied into a store (checkpointing, ONNX export, EMA). */
    public static TensorStore readParams(SameDiff sd, Iterable<String> names) {
        TensorStore out = new TensorStore();
        for (String n : names) {
            INDArray a = sd.getVariable(n).getArr();
            out.put(n, a.shape(), a.castTo(DataType.FLOAT).dup('c').data().asFloat());
        }
        return out;
    }

    /** Overwrites the variables named in {@code params} in place (shapes must agree). */
    public static void writeParams(SameDiff sd, TensorStore params) {
        for (String n : params.names()) {
            INDArray a = sd.getVariable(n).getArr();
            TensorStore.Tensor t = params.get(n);
            if (!java.util.Arrays.equals(a.shape(), t.shape())) {
                throw new IllegalArgumentException("shape mismatch for " + n + ": graph " + java.util.Arrays.toString(a.shape())
                        + " vs " + java.util.Arrays.toString(t.shape()));
            }
            a.assign(Nd4j.create(t.data(), t.shape(), 'c').castTo(a.dataType()));
        }
    }

    /** Names of the parameters declared so far, in declaration order. */
    public List<String> paramNames() {
        return List.copyOf(paramNames);
    }

    public SameDiff sameDiff() {
        return sd;
    }

    /** Static shape (batch = -1) of a value created by this builder. */
    public long[] shapeOf(SDVariable v) {
        long[] s = shapes.get(v.name());
        if (s == null) throw new IllegalArgumentException("unknown value " + v.name());
        return s.clone();
    }

    private SDVariable ret(SDVariable v, long[] shape) {
        shapes.put(v.name(), shape);
        return v;
    }

    private long[] s(SDVariable v) {
        return shapeOf(v);
    }

    private boolean isTimeMajor(SDVariable v) {
        return timeMajor.contains(v.name());
    }

    private SDVariable retTimeMajor(SDVariable v, long[] logicalShape) {
        timeMajor.add(v.name());
        return ret(v, logicalShape);
    }

    private boolean isPixelMajor(SDVariable v) {
        return pixelMajor.contains(v.name());
    }

    private SDVariable retPixelMajor(SDVariable v, long[] logicalShape) {
        pixelMajor.add(v.name());
        return ret(v, logicalShape);
    }

    /** The value in its logical (channels-first) layout; converted once per time-major or pixel-major value. */
    private SDVariable cf(SDVariable v) {
        if (isTimeMajor(v)) return channelsFirst.computeIfAbsent(v.name(), n -> ret(seq.toChannelsFirst(v), s(v)));
        if (isPixelMajor(v)) {
            long[] sh = s(v);
            return channelsFirst.computeIfAbsent(v.name(), n -> ret(pix.toChannelsFirst(v, sh[2], sh[3], sh[1]), sh));
        }
        return v;
    }

    /** The pixel-major {@code [H·W·B, C]} form of a logical {@code [B, C, H, W]} value. */
    private SDVariable pm(SDVariable v) {
        if (isPixelMajor(v)) return v;
        return pixelMajorOf.computeIfAbsent(v.name(), n -> retPixelMajor(pix.fromChannelsFirst(cf(v), s(v)[1]), s(v)));
    }

    /** The time-major {@code [L, B, C]} form of a logical {@code [B, C, L]} value. */
    private SDVariable tm(SDVariable v) {
        if (isTimeMajor(v)) return v;
        return timeMajorOf.computeIfAbsent(v.name(), n -> retTimeMajor(seq.fromChannelsFirst(v), s(v)));
    }

    @Override
    public boolean training() {
        return training;
    }

    @Override
    public SDVariable input(String name, long... shape) {
        long[] sh = shape.clone();
        if (batchSize > 0 && sh.length > 0 && sh[0] == -1) sh[0] = batchSize;
        return ret(sd.placeHolder(name, dtype, sh), sh);
    }

    @Override
    public void output(String name, SDVariable value) {
        long[] shape = s(value);
        SDVariable out = sd.identity(name, cf(value));
        ret(out, shape);
    }

    @Override
    public SDVariable param(String name, ParamSpec spec) {
        INDArray v = values.apply(name);
        if (!java.util.Arrays.equals(v.shape(), spec.shape())) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + java.util.Arrays.toString(v.shape())
                    + ", the network declares " + java.util.Arrays.toString(spec.shape()));
        }
        paramNames.add(name);
        return ret(sd.var(name, v.castTo(dtype).dup('c')), spec.shape());
    }

    @Override
    public SDVariable constant(float[] vals, long... shape) {
        return ret(sd.constant(Nd4j.create(vals, shape, 'c').castTo(dtype)), shape.clone());
    }

    @Override
    public SDVariable linear(SDVariable x, SDVariable weight, SDVariable bias) {
        return ret(sd.nn.linear(cf(x), weight, bias), Shapes.linear(s(x), s(weight)));
    }

    @Override
    public SDVariable conv1d(SDVariable x, SDVariable weight, SDVariable bias, int stride, int padding) {
        long[] w = s(weight), xs = s(x);
        if (timeMajorSequences) {
            SDVariable y = seq.conv1d(tm(x), xs[2], w[1], weight, w[0], w[2], bias, stride, padding);
            return retTimeMajor(y, Shapes.conv1d(xs, w, stride, padding));
        }
        Conv1DConfig c = Conv1DConfig.builder().k(w[0]).s(stride).p(padding).d(1)
                .paddingMode(PaddingMode.VALID).dataFormat("NCW").build();
        return ret(sd.cnn.conv1d(cf(x), weight, bias, c), Shapes.conv1d(xs, w, stride, padding));
    }

    @Override
    public SDVariable convTranspose1d(SDVariable x, SDVariable weight, SDVariable bias, int stride, int padding) {
        long[] w = s(weight), xs = s(x);
        long lout = Shapes.convTranspose1d(xs, w, stride, padding)[2];
        if (timeMajorSequences && lout % stride == 0) {
            SDVariable y = seq.convTranspose1d(tm(x), xs[2], w[3], weight, w[1], w[2], bias, stride, padding);
            return retTimeMajor(y, Shapes.convTranspose1d(xs, w, stride, padding));
        }
        DeConv2DConfig c = DeConv2DConfig.builder().kH(1).kW(w[1]).sH(1).sW(stride).pH(0).pW(padding).dH(1).dW(1)
                .isSameMode(false).dataFormat("NCHW").build();
        SDVariable x4 = sd.expandDims(cf(x), 2);
        SDVariable y = sd.squeeze(sd.cnn.deconv2d(x4, weight, bias, c), 2);
        return ret(y, Shapes.convTranspose1d(s(x), w, stride, padding));
    }

    @Override
    public SDVariable conv2d(SDVariable x, SDVariable weight, SDVariable bias, int stride, int padding) {
        long[] w = s(weight), xs = s(x);
        if (timeMajorSequences) {   // training: im2col + one GEMM, pixel-major (the inference rendering keeps conv2d)
            SDVariable y = pix.conv2d(pm(x), xs[2], xs[3], xs[1], weight, w[0], w[1], w[3], bias, stride, padding);
            return retPixelMajor(y, Shapes.conv2d(xs, w, stride, padding));
        }
        Conv2DConfig c = Conv2DConfig.builder().kH(w[0]).kW(w[1]).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build();
        SDVariable y = bias == null ? sd.cnn.conv2d(cf(x), weight, c) : sd.cnn.conv2d(cf(x), weight, bias, c);
        return ret(y, Shapes.conv2d(s(x), w, stride, padding));
    }

    @Override
    public SDVariable maxPool2d(SDVariable x, int kernel, int stride, int padding) {
        long[] xs = s(x);
        if (isPixelMajor(x)) {
            return retPixelMajor(pix.maxPool2d(x, xs[2], xs[3], xs[1], kernel, stride, padding), Shapes.pool2d(xs, kernel, stride, padding));
        }
        Pooling2DConfig c = Pooling2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).isNHWC(false).build();
        return ret(sd.cnn.maxPooling2d(cf(x), c), Shapes.pool2d(s(x), kernel, stride, padding));
    }

    @Override
    public SDVariable globalAvgPool2d(SDVariable x) {
        long[] xs = s(x);
        if (isPixelMajor(x)) return ret(pix.globalAvgPool(x, xs[2], xs[3], xs[1]), new long[] {xs[0], xs[1]});
        return ret(cf(x).mean(2, 3), new long[] {xs[0], xs[1]});
    }

    @Override
    public SDVariable spatialSoftmax(SDVariable x) {
        long[] xs = s(x);
        long k = xs[1], h = xs[2], w = xs[3];
        SDVariable grid = sd.constant(Nd4j.create(SpatialSoftmax.coordinates(h, w), new long[] {h * w, 2}, 'c').castTo(dtype));
        if (isPixelMajor(x)) return ret(pix.spatialSoftmax(x, h * w, k, grid), new long[] {xs[0], 2 * k});
        SDVariable p = sd.nn.softmax(sd.reshape(cf(x), -1, h * w), 1);   // [B·K, H·W], one row per keypoint
        return ret(sd.reshape(sd.mmul(p, grid), -1, 2 * k), new long[] {xs[0], 2 * k});
    }

    @Override
    public SDVariable relu(SDVariable x) {
        SDVariable y = sd.nn.relu(x, 0);   // element-wise: keeps the layout
        if (isTimeMajor(x)) return retTimeMajor(y, s(x));
        return isPixelMajor(x) ? retPixelMajor(y, s(x)) : ret(y, s(x));
    }

    @Override
    public SDVariable groupNorm(SDVariable x, int groups, SDVariable gamma, SDVariable beta, double eps) {
        long[] xs = s(x);
        long c = xs[1], cg = c / groups;
        if (isTimeMajor(x)) return retTimeMajor(seq.groupNorm(x, xs[2], c, groups, gamma, beta, eps), xs);
        // [B, G, C/G, L]: statistics per (sample, group); gamma folds into the per-group scale on the small
        // [B, G, C/G, 1] tensor, which saves one full-size broadcast multiply (and its costly backward).
        SDVariable g = sd.reshape(x, -1, groups, cg, xs[2]);
        SDVariable centred = g.sub(g.mean(true, 2, 3));
        SDVariable invStd = sd.math.rsqrt(centred.mul(centred).mean(true, 2, 3).add(eps));
        SDVariable scale = invStd.mul(sd.reshape(gamma, groups, cg, 1));
        SDVariable y = centred.mul(scale).add(sd.reshape(beta, groups, cg, 1));
        return ret(sd.reshape(y, -1, c, xs[2]), xs);
    }

    @Override
    public SDVariable groupNorm2d(SDVariable x, int groups, int channels, SDVariable gamma, SDVariable beta, double eps,
                                  long h, long w) {
        if (!isPixelMajor(x)) return NetBuilder.super.groupNorm2d(x, groups, channels, gamma, beta, eps, h, w);
        // [H·W·B, C] is the time-major layout with length H·W: its GroupNorm, all GEMMs and same-shape ops
        return retPixelMajor(seq.groupNorm(x, h * w, channels, groups, gamma, beta, eps, -1, channels), s(x));
    }

    /**
     * On 2-D {@code [N, d]} token streams, every reduction and broadcast is a matrix product: centring is x·(I − 11ᵀ/d),
     * the variance (c⊙c)·(1/d), and the scale r_i·γ_j one outer product, so the normalisation needs one same-shape
     * multiply. Measured (docs/performance.md, "Predictor training speed"): ND4J's backward of a broadcast multiply
     * tiles the small operand element by element and reduces along the slow axis; a LayerNorm written with broadcasts
     * cost ~75 ms per [4608, 128] forward+backward, half of the predictor's training step.
     */
    @Override
    public SDVariable layerNorm(SDVariable x0, SDVariable gamma, SDVariable beta, double eps) {
        SDVariable x = cf(x0);
        long[] xs = s(x);
        int last = xs.length - 1;
        if (xs.length != 2) {
            SDVariable centred = x.sub(x.mean(true, last));
            SDVariable var = sd.math.square(centred).mean(true, last);
            return ret(centred.mul(sd.math.rsqrt(var.add(eps))).mul(gamma).add(beta), xs);
        }
        int d = (int) xs[1];
        SDVariable centred = sd.mmul(x, centringMatrix(d));
        SDVariable var = sd.mmul(centred.mul(centred), meanColumn(d));   // c⊙c: square's backward goes through powf
        SDVariable scale = sd.mmul(sd.math.rsqrt(var.add(eps)), sd.reshape(gamma, 1, d));
        return ret(centred.mul(scale).add(beta), xs);
    }

    private final Map<Integer, SDVariable> centring = new HashMap<>(), meanColumns = new HashMap<>();

    /** I − 11ᵀ/d, shared by all LayerNorms of width d. */
    private SDVariable centringMatrix(int d) {
        return centring.computeIfAbsent(d, k -> {
            INDArray m = Nd4j.eye(d).castTo(dtype).subi(1.0 / d);
            return sd.constant("layernorm_centring_" + d, m);
        });
    }

    /** The column vector 1/d: row means as a matrix product. */
    private SDVariable meanColumn(int d) {
        return meanColumns.computeIfAbsent(d, k -> sd.constant("layernorm_mean_" + d, Nd4j.valueArrayOf(new long[] {d, 1}, 1.0 / d, dtype)));
    }

    @Override
    public SDVariable film(SDVariable h, SDVariable scaleBias) {
        long[] hs = s(h);
        long c = hs[1];
        if (isTimeMajor(h)) return retTimeMajor(seq.film(h, hs[2], c, scaleBias), hs);
        SDVariable e = sd.reshape(scaleBias, -1, 2 * c, 1);
        SDVariable scale = e.get(SDIndex.all(), SDIndex.interval(0L, c), SDIndex.all());
        SDVariable bias = e.get(SDIndex.all(), SDIndex.interval(c, 2 * c), SDIndex.all());
        return ret(h.mul(scale).add(bias), hs);
    }

    @Override
    public SDVariable mish(SDVariable x) {
        SDVariable y = x.mul(sd.math.tanh(sd.nn.softplus(x)));   // element-wise: keeps the layout
        return isTimeMajor(x) ? retTimeMajor(y, s(x)) : ret(y, s(x));
    }

    @Override
    public SDVariable gelu(SDVariable x) {
        SDVariable xc = cf(x);
        SDVariable erf = sd.math.erf(xc.mul(1 / Math.sqrt(2)));
        return ret(xc.mul(erf.add(1.0)).mul(0.5), s(x));
    }

    @Override
    public SDVariable sin(SDVariable x) {
        return ret(sd.math.sin(cf(x)), s(x));
    }

    @Override
    public SDVariable cos(SDVariable x) {
        return ret(sd.math.cos(cf(x)), s(x));
    }

    @Override
    public SDVariable exp(SDVariable x) {
        return ret(sd.math.exp(cf(x)), s(x));
    }

    @Override
    public SDVariable add(SDVariable a, SDVariable b) {
        if ((isTimeMajor(a) || isTimeMajor(b)) && java.util.Arrays.equals(s(a), s(b)) && s(a).length == 3) {
            return retTimeMajor(tm(a).add(tm(b)), s(a));   // the residual add: same shape, any layout
        }
        if ((isPixelMajor(a) || isPixelMajor(b)) && java.util.Arrays.equals(s(a), s(b)) && s(a).length == 4) {
            return retPixelMajor(pm(a).add(pm(b)), s(a));   // ResNet's residual add
        }
        return ret(cf(a).add(cf(b)), Shapes.broadcast(s(a), s(b)));
    }

    @Override
    public SDVariable mul(SDVariable a, SDVariable b) {
        return ret(cf(a).mul(cf(b)), Shapes.broadcast(s(a), s(b)));
    }

    @Override
    public SDVariable scale(SDVariable x, double factor) {
        return ret(cf(x).mul(factor), s(x));
    }

    @Override
    public SDVariable matmul(SDVariable a, SDVariable b) {
        return ret(sd.mmul(cf(a), cf(b)), Shapes.matmul(s(a), s(b)));
    }

    @Override
    public SDVariable softmax(SDVariable x) {
        long[] xs = s(x);
        return ret(sd.nn.softmax(cf(x), xs.length - 1), xs);
    }

    @Override
    public SDVariable concat(int axis, List<SDVariable> parts) {
        List<long[]> ps = new ArrayList<>();
        boolean anyTimeMajor = false;
        for (SDVariable p : parts) {
            ps.add(s(p));
            anyTimeMajor |= isTimeMajor(p);
        }
        long[] out = Shapes.concat(axis, ps);
        if (anyTimeMajor && axis == 1 && out.length == 3) {   // channels of [B, C, L] are the last axis of [L, B, C]
            return retTimeMajor(sd.concat(2, parts.stream().map(this::tm).toArray(SDVariable[]::new)), out);
        }
        return ret(sd.concat(axis, parts.stream().map(this::cf).toArray(SDVariable[]::new)), out);
    }

    @Override
    public SDVariable slice(SDVariable x, int axis, long from, long to) {
        long[] xs = s(x);
        SDIndex[] idx = new SDIndex[xs.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i == axis ? SDIndex.interval((Long) from, (Long) to) : SDIndex.all();
        return ret(cf(x).get(idx), Shapes.slice(xs, axis, from, to));
    }

    @Override
    public SDVariable reshape(SDVariable x, long... shape) {
        long[] out = Shapes.reshape(s(x), shape);
        return ret(sd.reshape(cf(x), out), out);
    }

    @Override
    public SDVariable permute(SDVariable x, int... axes) {
        if (isTimeMajor(x) && java.util.Arrays.equals(axes, new int[] {0, 2, 1})) {
            return ret(sd.permute(x, 1, 0, 2), Shapes.permute(s(x), axes));   // [L, B, C] -> [B, L, C]
        }
        return ret(sd.permute(cf(x), axes), Shapes.permute(s(x), axes));
    }

    @Override
    public SDVariable expandBatch(SDVariable x, SDVariable like) {
        long[] ls = s(like);
        long[] xs = s(x);
        SDIndex[] idx = new SDIndex[ls.length];
        idx[0] = SDIndex.all();
        for (int i = 1; i < idx.length; i++) idx[i] = SDIndex.interval(0L, 1L);
        long[] ones = new long[xs.length + 1];
        java.util.Arrays.fill(ones, 1);
        ones[0] = -1;
        SDVariable zeros = sd.zerosLike(sd.reshape(cf(like).get(idx), ones));
        long[] out = Shapes.expandBatch(xs);
        out[0] = ls[0];
        return ret(zeros.add(cf(x)), out);
    }

    @Override
    public SDVariable dropout(SDVariable x, double p) {
        if (!training || p == 0) return x;
        // ND4J's dropout ops fail on a dynamic batch (no static shape) and the custom Bernoulli op repeats its mask
        // on every call; the legacy Bernoulli op with a static shape draws a fresh mask from Nd4j.getRandom().
        long[] xs = s(x);
        for (long d : xs) {
            if (d < 0) throw new IllegalStateException("dropout needs a fixed batch size: use forTraining(..., batchSize)");
        }
        double keep = 1 - p;
        return ret(cf(x).mul(sd.random.bernoulli(keep, dtype, xs).mul(1 / keep)), xs);
    }
}
