package org.steppolicy.models;

import onnx.Onnx;

/** How an ONNX file stores its weights: float32 as trained, or float16 widened at load ({@link HalfWeights}). */
public enum WeightStorage {
    FLOAT32, FLOAT16;

    /** The model's bytes with its weights stored this way. */
    public byte[] bytes(Onnx.ModelProto model) {
        return (this == FLOAT16 ? HalfWeights.apply(model) : model).toByteArray();
    }

    /** The name policy.json gives it ("float32", "float16"). */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
