package org.steppolicy.models;

/**
 * PyTorch modules expressed on a {@link NetBuilder}: each declares its parameters under {@code prefix}
 * ({@code prefix.weight}, {@code prefix.bias}) with the module's default initialisation, then applies the op.
 */
final class Layers {

    private Layers() {}

    static ParamSpec uniform(double fanIn, long... shape) {
        return new ParamSpec(shape, new ParamSpec.Uniform(1 / Math.sqrt(fanIn)));
    }

    static ParamSpec constant(double v, long... shape) {
        return new ParamSpec(shape, new ParamSpec.Constant(v));
    }

    static ParamSpec normal(double std, long... shape) {
        return new ParamSpec(shape, new ParamSpec.Normal(std));
    }

    /** nn.Linear with default init: weight and bias U(±1/sqrt(in)). */
    static <T> T linear(NetBuilder<T> b, String prefix, T x, int in, int out) {
        T w = b.param(prefix + ".weight", uniform(in, in, out));
        T bias = b.param(prefix + ".bias", uniform(in, out));
        return b.linear(x, w, bias);
    }

    /** nn.Linear initialised as transformers are: weight N(0, 0.02), bias 0. */
    static <T> T linearNormal(NetBuilder<T> b, String prefix, T x, int in, int out) {
        T w = b.param(prefix + ".weight", normal(0.02, in, out));
        T bias = b.param(prefix + ".bias", constant(0, out));
        return b.linear(x, w, bias);
    }

    /** nn.Conv1d with default init: fan_in = in * k. */
    static <T> T conv1d(NetBuilder<T> b, String prefix, T x, int in, int out, int k, int stride, int padding) {
        T w = b.param(prefix + ".weight", uniform((double) in * k, k, in, out));
        T bias = b.param(prefix + ".bias", uniform((double) in * k, out));
        return b.conv1d(x, w, bias, stride, padding);
    }

    /** nn.ConvTranspose1d with default init: PyTorch's fan_in is weight.size(1) * k = out * k. */
    static <T> T convTranspose1d(NetBuilder<T> b, String prefix, T x, int in, int out, int k, int stride, int padding) {
        T w = b.param(prefix + ".weight", uniform((double) out * k, 1, k, out, in));
        T bias = b.param(prefix + ".bias", uniform((double) out * k, out));
        return b.convTranspose1d(x, w, bias, stride, padding);
    }

    /** nn.GroupNorm(groups, channels), eps 1e-5, affine (1, 0). */
    static <T> T groupNorm(NetBuilder<T> b, String prefix, T x, int groups, int channels) {
        T g = b.param(prefix + ".weight", constant(1, channels));
        T beta = b.param(prefix + ".bias", constant(0, channels));
        return b.groupNorm(x, groups, g, beta, 1e-5);
    }

    /** nn.LayerNorm(d), eps 1e-5, affine (1, 0). */
    static <T> T layerNorm(NetBuilder<T> b, String prefix, T x, int d) {
        T g = b.param(prefix + ".weight", constant(1, d));
        T beta = b.param(prefix + ".bias", constant(0, d));
        return b.layerNorm(x, g, beta, 1e-5);
    }

    /** nn.Conv2d(in, out, k) with PyTorch's default init (fan_in = in * k * k), bias U(±1/sqrt(fan_in)). */
    static <T> T conv2d(NetBuilder<T> b, String prefix, T x, int in, int out, int k, int stride, int padding) {
        double fanIn = (double) in * k * k;
        T w = b.param(prefix + ".weight", uniform(fanIn, k, k, in, out));
        T bias = b.param(prefix + ".bias", uniform(fanIn, out));
        return b.conv2d(x, w, bias, stride, padding);
    }

    /** Bias-free nn.Conv2d as torchvision's ResNet initialises it: kaiming_normal_(mode='fan_out', relu). */
    static <T> T conv2dResNet(NetBuilder<T> b, String prefix, T x, int in, int out, int k, int stride, int padding) {
        T w = b.param(prefix + ".weight", normal(Math.sqrt(2.0 / ((double) out * k * k)), k, k, in, out));
        return b.conv2d(x, w, null, stride, padding);
    }

    /** nn.GroupNorm on an image {@code [B, C, H, W]}: the same statistics as on {@code [B, C, H·W]}. */
    static <T> T groupNorm2d(NetBuilder<T> b, String prefix, T x, int groups, int channels, long h, long w) {
        T g = b.param(prefix + ".weight", constant(1, channels));
        T beta = b.param(prefix + ".bias", constant(0, channels));
        return b.groupNorm2d(x, groups, channels, g, beta, 1e-5, h, w);
    }
}
