package org.steppolicy.models;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;

import static org.steppolicy.models.OnnxNodes.integer;

/**
 * Renders a {@link NetworkDefinition} into an ONNX model (IR 8, opset 17) with the parameter values as
 * initialisers and a dynamic batch axis ({@code batch}). Dropout is left out: the model is for inference.
 *
 * <p>Weights keep their names and matmul layout as initialisers; where ONNX wants another layout (Conv
 * {@code [out, in, k]}, ConvTranspose {@code [in, out, k]}) a Transpose/Reshape node on the initialiser converts
 * it, which ONNX Runtime folds away when the session is created. GroupNorm is Reshape + InstanceNormalization
 * + Reshape + affine (GroupNormalization arrives only in opset 18); GELU is written with Erf (Gelu is opset 20).
 *
 * <pre>{@code
 * Onnx.ModelProto m = OnnxBuilder.export(net, params, "conditional_unet1d");
 * byte[] bytes = m.toByteArray();   // OrtEnvironment.createSession(bytes, options)
 * }</pre>
 */
public final class OnnxBuilder implements NetBuilder<String> {

    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;
    static final String BATCH = "batch";

    private final TensorStore params;
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final Map<String, long[]> shapes = new HashMap<>();
    private final Map<Double, String> scalars = new HashMap<>();
    private int counter;

    public OnnxBuilder(TensorStore params, String graphName) {
        this.params = params;
        graph.setName(graphName);
    }

    /** The whole model: inputs, initialisers, nodes and the output of {@code net}. */
    public static Onnx.ModelProto export(NetworkDefinition net, TensorStore params, String graphName) {
        OnnxBuilder b = new OnnxBuilder(params, graphName);
        net.define(b);
        return b.model();
    }

    public Onnx.ModelProto model() {
        return Onnx.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("step-models")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private String ret(String v, long[] shape) {
        shapes.put(v, shape);
        return v;
    }

    private long[] s(String v) {
        long[] sh = shapes.get(v);
        if (sh == null) throw new IllegalArgumentException("unknown value " + v);
        return sh;
    }

    private String fresh(String op) {
        return op.toLowerCase() + "_" + (counter++);
    }

    private String node(String op, List<String> inputs, Onnx.AttributeProto... attrs) {
        String out = fresh(op);
        graph.addNode(OnnxNodes.node(op, out, inputs, attrs));
        return out;
    }

    private static Onnx.AttributeProto ints(String name, long... v) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name)
                .setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long x : v) a.addInts(x);
        return a.build();
    }

    private static Onnx.AttributeProto real(String name, double v) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT)
                .setF((float) v).build();
    }

    private String floatInit(String name, float[] data, long... dims) {
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE).setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) t.addDims(d);
        graph.addInitializer(t);
        return ret(name, dims.clone());
    }

    private String longInit(long... values) {
        String name = fresh("const_i64");
        ByteBuffer buf = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        graph.addInitializer(Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addDims(values.length)
                .setRawData(ByteString.copyFrom(buf.array())));
        return ret(name, new long[] {values.length});
    }

    private String scalar(double v) {
        return scalars.computeIfAbsent(v, k -> floatInit(fresh("scalar"), new float[] {(float) v}));
    }

    private Onnx.ValueInfoProto valueInfo(String name, long[] shape) {
        Onnx.TensorShapeProto.Builder sh = Onnx.TensorShapeProto.newBuilder();
        for (long d : shape) {
            Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
            if (d < 0) dim.setDimParam(BATCH);
            else dim.setDimValue(d);
            sh.addDim(dim);
        }
        Onnx.TypeProto.Tensor.Builder tt = Onnx.TypeProto.Tensor.newBuilder()
                .setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE).setShape(sh);
        return Onnx.ValueInfoProto.newBuilder().setName(name)
                .setType(Onnx.TypeProto.newBuilder().setTensorType(tt)).build();
    }

    // ---- NetBuilder ------------------------------------------------------------------------------------------

    @Override
    public boolean training() {
        return false;
    }

    @Override
    public String input(String name, long... shape) {
        graph.addInput(valueInfo(name, shape));
        return ret(name, shape.clone());
    }

    @Override
    public void output(String name, String value) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType("Identity").setName(name + "_identity")
                .addInput(value).addOutput(name);
        graph.addNode(n);
        graph.addOutput(valueInfo(name, s(value)));
        ret(name, s(value));
    }

    @Override
    public String param(String name, ParamSpec spec) {
        TensorStore.Tensor t = params.get(name);
        if (!java.util.Arrays.equals(t.shape(), spec.shape())) {
            throw new IllegalArgumentException("parameter " + name + " has shape " + java.util.Arrays.toString(t.shape())
                    + ", the network declares " + java.util.Arrays.toString(spec.shape()));
        }
        return floatInit(name, t.data(), spec.shape());
    }

    @Override
    public String constant(float[] values, long... shape) {
        return floatInit(fresh("const"), values, shape);
    }

    @Override
    public String linear(String x, String weight, String bias) {
        return ret(node("Gemm", List.of(x, weight, bias)), Shapes.linear(s(x), s(weight)));
    }

    @Override
    public String conv1d(String x, String weight, String bias, int stride, int padding) {
        long[] w = s(weight);
        String wt = node("Transpose", List.of(weight), ints("perm", 2, 1, 0));   // [k,in,out] -> [out,in,k]
        return ret(conv1dNode("Conv", x, wt, bias, w[0], stride, padding), Shapes.conv1d(s(x), w, stride, padding));
    }

    @Override
    public String convTranspose1d(String x, String weight, String bias, int stride, int padding) {
        long[] w = s(weight);
        String w3 = node("Reshape", List.of(weight, longInit(w[1], w[2], w[3])));         // [1,k,out,in] -> [k,out,in]
        String wt = node("Transpose", List.of(w3), ints("perm", 2, 1, 0));              // -> [in,out,k]
        return ret(conv1dNode("ConvTranspose", x, wt, bias, w[1], stride, padding), Shapes.convTranspose1d(s(x), w, stride, padding));
    }

    /** A 1-D {@code Conv} or {@code ConvTranspose} node over weights already in ONNX's layout: one group, no dilation. */
    private String conv1dNode(String op, String x, String wt, String bias, long kernel, int stride, int padding) {
        return node(op, List.of(x, wt, bias), ints("kernel_shape", kernel), ints("strides", stride),
                ints("pads", padding, padding), ints("dilations", 1), integer("group", 1));
    }

    @Override
    public String conv2d(String x, String weight, String bias, int stride, int padding) {
        long[] w = s(weight);
        String wt = node("Transpose", List.of(weight), ints("perm", 3, 2, 0, 1));   // [kH,kW,in,out] -> [out,in,kH,kW]
        List<String> in = bias == null ? List.of(x, wt) : List.of(x, wt, bias);
        String y = node("Conv", in, ints("kernel_shape", w[0], w[1]), ints("strides", stride, stride),
                ints("pads", padding, padding, padding, padding), ints("dilations", 1, 1), integer("group", 1));
        return ret(y, Shapes.conv2d(s(x), w, stride, padding));
    }

    @Override
    public String maxPool2d(String x, int kernel, int stride, int padding) {
        String y = node("MaxPool", List.of(x), ints("kernel_shape", kernel, kernel), ints("strides", stride, stride),
                ints("pads", padding, padding, padding, padding));
        return ret(y, Shapes.pool2d(s(x), kernel, stride, padding));
    }

    @Override
    public String globalAvgPool2d(String x) {
        long[] xs = s(x);
        // opset 17: ReduceMean takes its axes as an attribute
        return ret(node("ReduceMean", List.of(x), ints("axes", 2, 3), integer("keepdims", 0)), new long[] {xs[0], xs[1]});
    }

    @Override
    public String spatialSoftmax(String x) {
        long[] xs = s(x);
        long k = xs[1], pixels = xs[2] * xs[3];
        String p = node("Softmax", List.of(node("Reshape", List.of(x, longInit(-1, pixels)))), integer("axis", -1));
        String grid = floatInit(fresh("spatial_softmax_grid"), SpatialSoftmax.coordinates(xs[2], xs[3]), pixels, 2);
        return ret(node("Reshape", List.of(node("MatMul", List.of(p, grid)), longInit(-1, 2 * k))), new long[] {xs[0], 2 * k});
    }

    @Override
    public String relu(String x) {
        return ret(node("Relu", List.of(x)), s(x));
    }

    @Override
    public String groupNorm(String x, int groups, String gamma, String beta, double eps) {
        long[] xs = s(x);
        long c = xs[1];
        String g = node("Reshape", List.of(x, longInit(-1, groups, (c / groups) * xs[2])));
        float[] ones = new float[groups];
        java.util.Arrays.fill(ones, 1f);
        String n = node("InstanceNormalization", List.of(g, floatInit(fresh("gn_scale"), ones, groups),
                floatInit(fresh("gn_bias"), new float[groups], groups)), real("epsilon", eps));
        String back = node("Reshape", List.of(n, longInit(-1, c, xs[2])));
        String gam = node("Reshape", List.of(gamma, longInit(c, 1)));
        String bet = node("Reshape", List.of(beta, longInit(c, 1)));
        return ret(node("Add", List.of(node("Mul", List.of(back, gam)), bet)), xs);
    }

    @Override
    public String layerNorm(String x, String gamma, String beta, double eps) {
        return ret(node("LayerNormalization", List.of(x, gamma, beta), integer("axis", -1), real("epsilon", eps)), s(x));
    }

    @Override
    public String film(String h, String scaleBias) {
        long[] hs = s(h);
        long c = hs[1];
        String e = node("Reshape", List.of(scaleBias, longInit(-1, 2 * c, 1)));
        String axis = longInit(1);
        String scale = node("Slice", List.of(e, longInit(0), longInit(c), axis));
        String bias = node("Slice", List.of(e, longInit(c), longInit(2 * c), axis));
        return ret(node("Add", List.of(node("Mul", List.of(h, scale)), bias)), hs);
    }

    @Override
    public String mish(String x) {
        return ret(node("Mul", List.of(x, node("Tanh", List.of(node("Softplus", List.of(x)))))), s(x));
    }

    @Override
    public String gelu(String x) {
        String erf = node("Erf", List.of(node("Mul", List.of(x, scalar(1 / Math.sqrt(2))))));
        String y = node("Mul", List.of(node("Mul", List.of(x, node("Add", List.of(erf, scalar(1)))) ), scalar(0.5)));
        return ret(y, s(x));
    }

    @Override
    public String sin(String x) {
        return ret(node("Sin", List.of(x)), s(x));
    }

    @Override
    public String cos(String x) {
        return ret(node("Cos", List.of(x)), s(x));
    }

    @Override
    public String exp(String x) {
        return ret(node("Exp", List.of(x)), s(x));
    }

    @Override
    public String add(String a, String b) {
        return ret(node("Add", List.of(a, b)), Shapes.broadcast(s(a), s(b)));
    }

    @Override
    public String mul(String a, String b) {
        return ret(node("Mul", List.of(a, b)), Shapes.broadcast(s(a), s(b)));
    }

    @Override
    public String scale(String x, double factor) {
        return ret(node("Mul", List.of(x, scalar(factor))), s(x));
    }

    @Override
    public String matmul(String a, String b) {
        return ret(node("MatMul", List.of(a, b)), Shapes.matmul(s(a), s(b)));
    }

    @Override
    public String softmax(String x) {
        return ret(node("Softmax", List.of(x), integer("axis", -1)), s(x));
    }

    @Override
    public String concat(int axis, List<String> parts) {
        List<long[]> ps = new ArrayList<>();
        for (String p : parts) ps.add(s(p));
        return ret(node("Concat", parts, integer("axis", axis)), Shapes.concat(axis, ps));
    }

    @Override
    public String slice(String x, int axis, long from, long to) {
        return ret(node("Slice", List.of(x, longInit(from), longInit(to), longInit(axis))), Shapes.slice(s(x), axis, from, to));
    }

    @Override
    public String reshape(String x, long... shape) {
        return ret(node("Reshape", List.of(x, longInit(shape))), Shapes.reshape(s(x), shape));
    }

    @Override
    public String permute(String x, int... axes) {
        long[] perm = new long[axes.length];
        for (int i = 0; i < axes.length; i++) perm[i] = axes[i];
        return ret(node("Transpose", List.of(x), ints("perm", perm)), Shapes.permute(s(x), axes));
    }

    @Override
    public String expandBatch(String x, String like) {
        long[] xs = s(x);
        String batch = node("Slice", List.of(node("Shape", List.of(like)), longInit(0), longInit(1), longInit(0)));
        String shape = node("Concat", List.of(batch, longInit(xs)), integer("axis", 0));
        return ret(node("Expand", List.of(x, shape)), Shapes.expandBatch(xs));
    }

    @Override
    public String dropout(String x, double p) {
        return x;
    }
}
