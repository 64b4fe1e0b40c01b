package org.steppolicy.models;

import java.util.List;

/**
 * A {@link NetBuilder} that puts every parameter name under a prefix and passes everything else through, so that one
 * network description can appear twice in one graph ({@link BridgerNet}'s velocity and score U-Nets).
 */
final class PrefixedBuilder<T> implements NetBuilder<T> {
    private final NetBuilder<T> b;
    private final String prefix;

    PrefixedBuilder(NetBuilder<T> b, String prefix) {
        this.b = b;
        this.prefix = prefix;
    }

    @Override public boolean training() { return b.training(); }
    @Override public T input(String name, long... shape) { return b.input(name, shape); }
    @Override public void output(String name, T value) { b.output(name, value); }
    @Override public T param(String name, ParamSpec spec) { return b.param(prefix + name, spec); }
    @Override public T constant(float[] values, long... shape) { return b.constant(values, shape); }
    @Override public T linear(T x, T weight, T bias) { return b.linear(x, weight, bias); }
    @Override public T conv1d(T x, T weight, T bias, int stride, int padding) { return b.conv1d(x, weight, bias, stride, padding); }
    @Override public T convTranspose1d(T x, T weight, T bias, int stride, int padding) { return b.convTranspose1d(x, weight, bias, stride, padding); }
    @Override public T conv2d(T x, T weight, T bias, int stride, int padding) { return b.conv2d(x, weight, bias, stride, padding); }
    @Override public T maxPool2d(T x, int kernel, int stride, int padding) { return b.maxPool2d(x, kernel, stride, padding); }
    @Override public T globalAvgPool2d(T x) { return b.globalAvgPool2d(x); }
    @Override public T spatialSoftmax(T x) { return b.spatialSoftmax(x); }
    @Override public T relu(T x) { return b.relu(x); }
    @Override public T groupNorm(T x, int groups, T gamma, T beta, double eps) { return b.groupNorm(x, groups, gamma, beta, eps); }
    @Override public T layerNorm(T x, T gamma, T beta, double eps) { return b.layerNorm(x, gamma, beta, eps); }
    @Override public T film(T h, T scaleBias) { return b.film(h, scaleBias); }
    @Override public T mish(T x) { return b.mish(x); }
    @Override public T gelu(T x) { return b.gelu(x); }
    @Override public T sin(T x) { return b.sin(x); }
    @Override public T cos(T x) { return b.cos(x); }
    @Override public T exp(T x) { return b.exp(x); }
    @Override public T add(T x, T y) { return b.add(x, y); }
    @Override public T mul(T x, T y) { return b.mul(x, y); }
    @Override public T scale(T x, double factor) { return b.scale(x, factor); }
    @Override public T matmul(T x, T y) { return b.matmul(x, y); }
    @Override public T softmax(T x) { return b.softmax(x); }
    @Override public T concat(int axis, List<T> parts) { return b.concat(axis, parts); }
    @Override public T slice(T x, int axis, long from, long to) { return b.slice(x, axis, from, to); }
    @Override public T reshape(T x, long... shape) { return b.reshape(x, shape); }
    @Override public T permute(T x, int... axes) { return b.permute(x, axes); }
    @Override public T expandBatch(T x, T like) { return b.expandBatch(x, like); }
    @Override public T dropout(T x, double p) { return b.dropout(x, p); }
}
