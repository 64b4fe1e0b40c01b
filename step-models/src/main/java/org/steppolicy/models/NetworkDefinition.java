package org.steppolicy.models;

/** A network that describes itself once against a {@link NetBuilder}: inputs, parameters, ops, outputs. */
public interface NetworkDefinition {

    /** Declares inputs, parameters and outputs on {@code b}; called once per rendering. */
    <T> void define(NetBuilder<T> b);

    /** Graph input names in declaration order. */
    java.util.List<String> inputNames();

    /** Graph output name. */
    String outputName();

    /** Parameter names, shapes and init rules in declaration order (no allocation). */
    default java.util.Map<String, ParamSpec> parameters() {
        return ParamCollector.collect(this);
    }

    default long parameterCount() {
        return ParamCollector.count(parameters());
    }

    /** Initial values by each parameter's init rule (PyTorch defaults unless the network says otherwise), seeded. */
    default TensorStore initParams(long seed) {
        return ParamInit.init(parameters(), seed);
    }
}
