package org.steppolicy.models;

/** A network that describes itself once against a {@link NetBuilder}: inputs, parameters, ops, outputs. */
public interface NetworkDefinition {

    /** Declares inputs, parameters and outputs on {@code b}; called once per rendering. */
    <T> void define(NetBuilder<T> b);

    /** Graph input names in declaration order. */
    java.util.List<String> inputNames();

    /** Graph output name. */
    String outputName();
}
