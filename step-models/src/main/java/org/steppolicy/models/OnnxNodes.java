package org.steppolicy.models;

import java.util.List;
import onnx.Onnx;

/**
 * The ONNX node and attribute records both graph writers build alike: {@link OnnxBuilder} (the networks) and the fused
 * policy graph of step-infer. One place, so a node is spelled the same way in every file the project writes.
 */
public final class OnnxNodes {
    private OnnxNodes() {}

    /** A node of {@code op} named {@code out}, its one output also {@code out}. */
    public static Onnx.NodeProto.Builder node(String op, String out, List<String> inputs, Onnx.AttributeProto... attrs) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op).setName(out).addOutput(out);
        for (String in : inputs) n.addInput(in);
        for (Onnx.AttributeProto a : attrs) n.addAttribute(a);
        return n;
    }

    public static Onnx.AttributeProto integer(String name, long v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(v).build();
    }
}
