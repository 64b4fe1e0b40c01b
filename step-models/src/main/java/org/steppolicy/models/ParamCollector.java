package org.steppolicy.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rendering that only records parameters (name, shape, init) in declaration order: parameter counts and
 * initialisation without allocating a graph.
 */
public final class ParamCollector implements NetBuilder<Object> {

    private static final Object VALUE = new Object();
    private final Map<String, ParamSpec> params = new LinkedHashMap<>();

    /** The parameters a network declares, in declaration order. */
    public static Map<String, ParamSpec> collect(NetworkDefinition net) {
        ParamCollector c = new ParamCollector();
        net.define(c);
        return Collections.unmodifiableMap(c.params);
    }

    public static long count(Map<String, ParamSpec> params) {
        long n = 0;
        for (ParamSpec s : params.values()) n += s.numel();
        return n;
    }

    @Override public boolean training() { return false; }
    @Override public Object input(String name, long... shape) { return VALUE; }
    @Override public void output(String name, Object value) { }

    @Override
    public Object param(String name, ParamSpec spec) {
        if (params.putIfAbsent(name, spec) != null) throw new IllegalStateException("parameter declared twice: " + name);
        return VALUE;
    }

    @Override public Object constant(float[] values, long... shape) { return VALUE; }
    @Override public Object linear(Object x, Object weight, Object bias) { return VALUE; }
    @Override public Object conv1d(Object x, Object weight, Object bias, int stride, int padding) { return VALUE; }
    @Override public Object convTranspose1d(Object x, Object weight, Object bias, int stride, int padding) { return VALUE; }
    @Override public Object conv2d(Object x, Object weight, Object bias, int stride, int padding) { return VALUE; }
    @Override public Object maxPool2d(Object x, int kernel, int stride, int padding) { return VALUE; }
    @Override public Object globalAvgPool2d(Object x) { return VALUE; }
    @Override public Object spatialSoftmax(Object x) { return VALUE; }
    @Override public Object relu(Object x) { return VALUE; }
    @Override public Object groupNorm(Object x, int groups, Object gamma, Object beta, double eps) { return VALUE; }
    @Override public Object layerNorm(Object x, Object gamma, Object beta, double eps) { return VALUE; }
    @Override public Object film(Object h, Object scaleBias) { return VALUE; }
    @Override public Object mish(Object x) { return VALUE; }
    @Override public Object gelu(Object x) { return VALUE; }
    @Override public Object sin(Object x) { return VALUE; }
    @Override public Object cos(Object x) { return VALUE; }
    @Override public Object exp(Object x) { return VALUE; }
    @Override public Object add(Object a, Object b) { return VALUE; }
    @Override public Object mul(Object a, Object b) { return VALUE; }
    @Override public Object scale(Object x, double factor) { return VALUE; }
    @Override public Object matmul(Object a, Object b) { return VALUE; }
    @Override public Object softmax(Object x) { return VALUE; }
    @Override public Object concat(int axis, List<Object> parts) { return VALUE; }
    @Override public Object slice(Object x, int axis, long from, long to) { return VALUE; }
    @Override public Object reshape(Object x, long... shape) { return VALUE; }
    @Override public Object permute(Object x, int... axes) { return VALUE; }
    @Override public Object expandBatch(Object x, Object like) { return VALUE; }
    @Override public Object dropout(Object x, double p) { return VALUE; }
}
