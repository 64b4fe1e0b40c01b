package org.steppolicy.models;

import java.util.List;

/**
 * The handful of tensor operations the networks of this project are made of. A network
 * ({@link ConditionalUnet1d}, {@link StepPredictorNet}) describes itself once against this interface; each
 * implementation renders the description: {@link SameDiffBuilder} into a trainable SameDiff graph,
 * {@link OnnxBuilder} into an ONNX model, {@link ParamCollector} into the list of parameters only.
 *
 * <p>Conventions shared by all renderings:
 * <ul>
 *   <li>{@code T} is a handle to a value of the graph. Dimension {@code -1} in a shape stands for the dynamic
 *       batch axis (at most one per shape).</li>
 *   <li>Weights use the matmul layout of {@link ParamSpec}: Linear {@code [in, out]}, Conv1d {@code [k, in, out]},
 *       ConvTranspose1d {@code [1, k, out, in]}, Conv2d {@code [kH, kW, in, out]}. Renderings that need another
 *       layout convert inside.</li>
 *   <li>Sequences for convolutions are channels-first {@code [B, C, L]}, images {@code [B, C, H, W]};
 *       {@link #linear} takes 2-D {@code [N, in]}.</li>
 *   <li>{@link #training()} says whether dropout is active; only training renderings draw random masks.</li>
 * </ul>
 */
public interface NetBuilder<T> {

    /** Dropout is active only when true; inference renderings (and ONNX) leave values untouched. */
    boolean training();

    /** A float graph input; shape with {@code -1} for the batch axis. */
    T input(String name, long... shape);

    /** Names a graph output. */
    void output(String name, T value);

    /** A trainable parameter, named with its PyTorch state_dict key. */
    T param(String name, ParamSpec spec);

    /** A fixed float tensor (frequencies, position codes). */
    T constant(float[] values, long... shape);

    /** x {@code [N, in]} times weight {@code [in, out]} plus bias {@code [out]}. */
    T linear(T x, T weight, T bias);

    /** 1-D convolution of x {@code [B, Cin, L]} with weight {@code [k, Cin, Cout]}, bias {@code [Cout]}, zero padding on both sides. */
    T conv1d(T x, T weight, T bias, int stride, int padding);

    /** Transposed 1-D convolution (PyTorch ConvTranspose1d semantics) with weight {@code [1, k, Cout, Cin]}. */
    T convTranspose1d(T x, T weight, T bias, int stride, int padding);

    /**
     * 2-D convolution of x {@code [B, Cin, H, W]} with weight {@code [kH, kW, Cin, Cout]}, zero padding on all sides;
     * {@code bias} {@code [Cout]} or null (ResNet's convolutions have none).
     */
    T conv2d(T x, T weight, T bias, int stride, int padding);

    /** Max pooling over x {@code [B, C, H, W]}, square window; padded cells never win (PyTorch's -inf padding). */
    T maxPool2d(T x, int kernel, int stride, int padding);

    /** Mean over the spatial axes: {@code [B, C, H, W]} to {@code [B, C]} (AdaptiveAvgPool2d(1) + flatten). */
    T globalAvgPool2d(T x);

    /**
     * Spatial softmax pooling of x {@code [B, K, H, W]} to {@code [B, 2K]}: per channel k a softmax over its H·W
     * positions, then the expected coordinates under it, {@code (x_k, y_k)} interleaved, on the grid of
     * {@link SpatialSoftmax#coordinates} (x from −1 to 1 across the width, y across the height).
     */
    T spatialSoftmax(T x);

    /** max(x, 0). */
    T relu(T x);

    /** GroupNorm over x {@code [B, C, L]} with per-channel affine gamma, beta {@code [C]}; biased variance, eps inside the root. */
    T groupNorm(T x, int groups, T gamma, T beta, double eps);

    /**
     * GroupNorm over an image x {@code [B, C, H, W]} of spatial size {@code h}×{@code w}: the statistics of
     * {@link #groupNorm} on {@code [B, C, H·W]}. The default reshapes to that and back; a rendering that holds images in
     * another layout may normalise them in place (SameDiff's training rendering does).
     */
    default T groupNorm2d(T x, int groups, int channels, T gamma, T beta, double eps, long h, long w) {
        return reshape(groupNorm(reshape(x, -1, channels, h * w), groups, gamma, beta, eps), -1, channels, h, w);
    }

    /** LayerNorm over the last axis with gamma, beta of that size; biased variance, eps inside the root. */
    T layerNorm(T x, T gamma, T beta, double eps);

    /** FiLM: h {@code [B, C, L]}, scaleBias {@code [B, 2C]}: returns scale * h + bias, scale = first C, bias = last C (raw scale). */
    T film(T h, T scaleBias);

    /** x * tanh(softplus(x)). */
    T mish(T x);

    /** Exact GELU, 0.5 x (1 + erf(x / sqrt 2)) (PyTorch's default). */
    T gelu(T x);

    T sin(T x);

    T cos(T x);

    /** Element-wise e^x (a CVAE's standard deviation from its log-variance). */
    T exp(T x);

    /** Element-wise with numpy broadcasting. */
    T add(T a, T b);

    /** Element-wise with numpy broadcasting. */
    T mul(T a, T b);

    T scale(T x, double factor);

    /** Matrix product over the last two axes, batched over the leading ones (equal ranks). */
    T matmul(T a, T b);

    /** Softmax over the last axis. */
    T softmax(T x);

    T concat(int axis, List<T> parts);

    /** Elements {@code [from, to)} along one axis. */
    T slice(T x, int axis, long from, long to);

    T reshape(T x, long... shape);

    T permute(T x, int... axes);

    /** x of shape S repeated along a new leading axis of the batch size of {@code like} (whose axis 0 is the batch). */
    T expandBatch(T x, T like);

    /** Inverted dropout with drop probability p in training; identity otherwise. */
    T dropout(T x, double p);
}
