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
}
