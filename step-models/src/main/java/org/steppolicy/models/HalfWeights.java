package org.steppolicy.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;

/**
 * An ONNX model with its large float weights stored as float16 and widened back by a Cast node at load: the file is
 * about half the size and the arithmetic stays float32 (only the weights are rounded, by at most 2^-11 relative).
 * How a model ships where the repository's size budget is tight (export-onnx --half-weights, docs/onnx.md).
 *
 * <p>Initialisers below {@link #MIN_ELEMENTS} values (biases, norm affines, scalars) stay float32: they are a small
 * share of the bytes and the rounding of a bias moves every output.
 */
public final class HalfWeights {
    public static final int MIN_ELEMENTS = 1024;
    /** Suffix of a weight's stored float16 copy; the Cast's output keeps the weight's own name. */
    static final String SUFFIX = "__fp16";

    private HalfWeights() {}

    /** {@code model} with every float32 initialiser of at least {@link #MIN_ELEMENTS} values stored as float16. */
    public static Onnx.ModelProto apply(Onnx.ModelProto model) {
        Onnx.GraphProto g = model.getGraph();
        Onnx.GraphProto.Builder out = g.toBuilder().clearInitializer().clearNode();
        java.util.List<Onnx.NodeProto> casts = new java.util.ArrayList<>();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            long n = 1;
            for (long d : t.getDimsList()) n *= d;
            if (t.getDataType() != Onnx.TensorProto.DataType.FLOAT_VALUE || n < MIN_ELEMENTS) {
                out.addInitializer(t);
                continue;
            }
            float[] v = floats(t, (int) n);
            ByteBuffer buf = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float f : v) buf.putShort(toHalf(f));
            out.addInitializer(Onnx.TensorProto.newBuilder().setName(t.getName() + SUFFIX).addAllDims(t.getDimsList())
                    .setDataType(Onnx.TensorProto.DataType.FLOAT16_VALUE).setRawData(ByteString.copyFrom(buf.array())));
            casts.add(Onnx.NodeProto.newBuilder().setOpType("Cast").setName("widen_" + t.getName())
                    .addInput(t.getName() + SUFFIX).addOutput(t.getName())
                    .addAttribute(Onnx.AttributeProto.newBuilder().setName("to").setType(Onnx.AttributeProto.AttributeType.INT)
                            .setI(Onnx.TensorProto.DataType.FLOAT_VALUE)).build());
        }
        // The casts come first so that the node list stays in topological order.
        out.addAllNode(casts).addAllNode(g.getNodeList());
        return model.toBuilder().setGraph(out).build();
    }

    private static float[] floats(Onnx.TensorProto t, int n) {
        float[] v = new float[n];
        if (!t.getRawData().isEmpty()) {
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        } else {
            for (int i = 0; i < n; i++) v[i] = t.getFloatData(i);
        }
        return v;
    }

    /** IEEE 754 binary16 of {@code v}, rounded to nearest, ties to even (Float.floatToFloat16 arrives in Java 20). */
    public static short toHalf(float v) {
        int f = Float.floatToRawIntBits(v);
        int sign = (f >>> 16) & 0x8000;
        int exp = (f >>> 23) & 0xff;
        int mant = f & 0x7fffff;
        if (exp == 0xff) return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        int e = exp - 127 + 15;
        if (e >= 0x1f) return (short) (sign | 0x7c00);
        if (e <= 0) {   // a subnormal half (or zero)
            if (e < -10) return (short) sign;
            int m = mant | 0x800000, shift = 14 - e;
            return (short) (sign | roundShift(m, shift));
        }
        // The carry of a round-up may step into the exponent; that is the right answer (up to infinity).
        return (short) (sign | ((e << 10) + roundShift(mant, 13)));
    }

    private static int roundShift(int m, int shift) {
        int q = m >>> shift, rem = m & ((1 << shift) - 1), half = 1 << (shift - 1);
        return rem > half || (rem == half && (q & 1) == 1) ? q + 1 : q;
    }

    /** The float value of the binary16 {@code h}. */
    public static float toFloat(short h) {
        int s = (h & 0x8000) << 16, e = (h >>> 10) & 0x1f, m = h & 0x3ff;
        if (e == 0) return Float.intBitsToFloat(s | Float.floatToRawIntBits(m * 0x1p-24f));
        if (e == 31) return Float.intBitsToFloat(s | 0x7f800000 | (m << 13));
        return Float.intBitsToFloat(s | ((e - 15 + 127) << 23) | (m << 13));
    }
}
