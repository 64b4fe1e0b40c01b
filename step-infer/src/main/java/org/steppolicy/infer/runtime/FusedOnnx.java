package org.steppolicy.infer.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.shade.protobuf.ByteString;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.ColdStartConfig;
import org.steppolicy.infer.DdimSolver;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.Method;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.PredictionType;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.infer.SolverKind;
import org.steppolicy.infer.WarmStartMode;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.DiffusionSchedule;
import org.steppolicy.models.OnnxBuilder;
import org.steppolicy.models.OnnxNodes;
import org.steppolicy.models.StepPredictorNet;

import static org.steppolicy.models.OnnxNodes.integer;

/**
 * One ONNX file for a whole control call ({@value #FILE}): raw observation window, previous chunk
 * and noise in; raw executed actions and the raw chunk out. Inside: the observation normaliser, the predictor (step,
 * spatial) or the shifted previous chunk (temporal), the strided warm start at the method's first timestep, the DDIM
 * steps with the U-Net, and the action unnormaliser — what {@link org.steppolicy.infer.ChunkPlanner} does for the same
 * method with the velocity-aware perturbation off.
 *
 * <p>The networks are the files {@link OnnxBuilder} renders (dp.onnx, predictor.onnx), grafted in: every U-Net call is
 * a copy of dp.onnx's nodes over one shared set of initialisers, and the nodes that depend on weights only (the layout
 * transposes of convolution weights) are hoisted out and run once. The timesteps and the schedule's ᾱ are constants.
 *
 * <p>The first call of an episode has no previous chunk: {@code first_call} = 1 runs the cold branch, a DDIM chain of
 * {@code cold_steps} steps from the noise (an ONNX {@code If}; its nodes share the same initialisers); the Java engine
 * does the same with {@code inference.cold_start_solver=ddim inference.cold_start_steps=N}. ddim:k ignores
 * {@code prev_chunk} and {@code first_call} (the inputs are the same for every method).
 *
 * <p>Arithmetic follows the Java engine operation by operation: the normalisers, the warm start's q_sample and the
 * unnormaliser in float64 (as the Java code computes them), the DDIM update in float32 with the same constants.
 */
public final class FusedOnnx {
    public static final String FILE = "step_policy.onnx";
    public static final String OBS = "obs", PREV_CHUNK = "prev_chunk", NOISE = "noise", FIRST_CALL = "first_call",
            ACTIONS = "actions", CHUNK = "chunk";
    /** The cold branch's default DDIM steps. */
    public static final int DEFAULT_COLD_STEPS = 10;

    /** What the graph is made of: sizes, scheduler, the DP's normaliser, dp.onnx and (step, spatial) the predictor's file. */
    public record Parts(PolicyShape shape, SchedulerConfig scheduler, DatasetNormalizer normalization, byte[] dp,
                        byte[] predictor, boolean predictorUsesPrevious) {}

    private FusedOnnx() {}

    /**
     * Resolves {@code --fused SPEC}: step, spatial and temporal with the strided warm start and DDIM, or ddim:k from
     * noise. The velocity-aware perturbation is off (an explicit {@code :perturb} is refused); the cold start is DDIM
     * over {@code coldSteps} strided steps. The label says so, e.g. {@code step:2:noperturb}.
     */
    public static MethodConfig resolve(String spec, InferenceSettings settings, int coldSteps) {
        MethodSpec s;
        try {
            s = MethodSpec.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new UserError("--fused: " + e.getMessage(), e);
        }
        Method m = s.method();
        if (m != Method.STEP && m != Method.SPATIAL && m != Method.TEMPORAL && m != Method.DDIM)
            throw new UserError("--fused " + spec + ": the fused file supports step, spatial, temporal and ddim (not " + m.label() + ")");
        if (Boolean.TRUE.equals(s.perturb()))
            throw new UserError("--fused " + spec + ": the fused file has no velocity-aware perturbation (its stall test needs"
                    + " the two previous chunks); leave out ':perturb'");
        if (coldSteps < 1) throw new UserError("--fused-cold-steps must be >= 1, got " + coldSteps);
        String label = s.label();
        if (m != Method.DDIM && s.perturb() == null) label += ":noperturb";
        MethodSpec spec2 = new MethodSpec(label, m, s.steps(), s.solver(), s.mode(), m == Method.DDIM ? null : Boolean.FALSE, s.entryStep());
        InferenceSettings in = new InferenceSettings(settings.warmStart(), settings.perturbation(),
                new ColdStartConfig(SolverKind.DDIM, coldSteps), settings.warmStartSolver(), settings.clipSample());
        MethodConfig c;
        try {
            c = spec2.config(in);
        } catch (IllegalArgumentException e) {
            throw new UserError("--fused " + spec + ": " + e.getMessage(), e);
        }
        if (c.solver() != SolverKind.DDIM)
            throw new UserError("--fused " + spec + ": the fused file runs DDIM steps only (not " + c.solver().label() + ")");
        if (m != Method.DDIM && c.warmStart().mode() != WarmStartMode.STRIDED)
            throw new UserError("--fused " + spec + ": the fused file forms the strided warm start only (not fine)");
        if (m != Method.DDIM && c.warmStart().sigmaT() != 0)
            throw new UserError("--fused " + spec + ": inference.sigma_t must be 0 for the fused file (one noise draw per element)");
        return c;
    }

    /** The ModelProto of the fused policy for a method from {@link #resolve}. */
    public static Onnx.ModelProto build(Parts p, MethodConfig method) {
        return new Graph(p, method).build();
    }

    /** The timesteps of the cold branch (DDIM from noise). */
    public static int[] coldTimesteps(MethodConfig method, SchedulerConfig scheduler) {
        int train = scheduler.trainSteps();
        return SolverKind.DDIM.timesteps(train, method.coldStart().steps(train));
    }

    /** Whether the method starts from a warm start (step, spatial, temporal) rather than from noise (ddim). */
    public static boolean warmStarted(MethodConfig method) {
        return method.method().start() != Method.Start.NOISE;
    }

    /**
     * Whether the file reads {@code prev_chunk} and {@code first_call}: temporal and step, whose first call of an
     * episode (no previous chunk) is the cold start, as in the Java engine; spatial's predictor reads the
     * observations only and ddim starts from noise.
     */
    public static boolean readsPreviousChunk(MethodConfig method, boolean predictorUsesPrevious) {
        return method.method().start() == Method.Start.PREVIOUS_CHUNK
                || (method.method().usesPredictor() && predictorUsesPrevious);
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Builds one model; nodes go to the current graph (the root or an If branch), initialisers always to the root. */
    private static final class Graph {
        private final Parts p;
        private final MethodConfig method;
        private final PolicyShape shape;
        private final DiffusionSchedule schedule;
        private final boolean clip;
        private final PredictionType prediction;
        private final Onnx.GraphProto.Builder root = Onnx.GraphProto.newBuilder();
        private Onnx.GraphProto.Builder cur = root;
        private final Onnx.GraphProto dpGraph, predGraph;
        private final Set<String> hoisted = new HashSet<>();
        private final Map<Integer, String> timestepValues = new HashMap<>();
        private String batchShape;
        private int counter, calls;

        Graph(Parts p, MethodConfig method) {
            this.p = p;
            this.method = method;
            this.shape = p.shape();
            this.schedule = p.scheduler().noiseSchedule();
            this.clip = method.clipSample() != null ? method.clipSample() : p.scheduler().clipSample();
            this.prediction = p.scheduler().predictionType();
            this.dpGraph = parse(p.dp(), "dp.onnx");
            boolean needsPredictor = method.method().usesPredictor();
            if (needsPredictor && p.predictor() == null)
                throw new UserError("--fused: " + org.steppolicy.infer.MissingPredictor.message(method.label(),
                        method.method().predictorKind(), "the policy", java.util.List.of()));
            this.predGraph = needsPredictor ? parse(p.predictor(), "the predictor") : null;
            if (!hasInput(dpGraph, ConditionalUnet1d.GLOBAL_COND))
                throw new UserError("--fused: inpainting DPs (no global_cond) are not supported by the fused file");
            if (hasInput(dpGraph, ConditionalUnet1d.SAMPLE) && dimOf(dpGraph, ConditionalUnet1d.SAMPLE, 2) != shape.actionDim())
                throw new UserError("--fused: the DP's sample has other channels than the actions; not supported");
        }

        Onnx.ModelProto build() {
            root.setName("step_policy_" + method.label().replace(':', '_'));
            int to = shape.obsSteps(), h = shape.horizon(), da = shape.actionDim();
            input(OBS, to, shape.obsDim());
            input(PREV_CHUNK, h, da);
            input(NOISE, h, da);
            root.addInput(valueInfo(FIRST_CALL, Onnx.TensorProto.DataType.FLOAT_VALUE, new long[] {1}));

            LinearNormalizer obsN = p.normalization().obs(), actN = p.normalization().action();
            String obs = normalize(OBS, obsN);                                  // [B, To, Do]
            String cond = node("Reshape", List.of(obs, i64(-1, (long) to * shape.obsDim())));
            batchShape = node("Slice", List.of(node("Shape", List.of(OBS)), i64(0), i64(1), i64(0)));

            int[] ts = method.timesteps(schedule);
            schedule.checkTimesteps(ts);
            String x;
            if (!warmStarted(method)) {
                x = ddim(NOISE, ts, cond);
            } else if (!readsPreviousChunk(method, p.predictorUsesPrevious())) {
                x = ddim(warmStart(obs, null, ts[0]), ts, cond);
            } else {
                int[] coldTs = coldTimesteps(method, p.scheduler());
                schedule.checkTimesteps(coldTs);
                for (int t : ts) timestep(t);
                for (int t : coldTs) timestep(t);
                String prev = normalize(PREV_CHUNK, actN);                    // [B, H, Da]
                String first = node("Greater", List.of(FIRST_CALL, f32(0.5f)));
                String isFirst = node("Squeeze", List.of(first, i64(0)));
                Onnx.GraphProto coldBranch = branch("cold", () -> ddim(NOISE, coldTs, cond));
                Onnx.GraphProto warmBranch = branch("warm", () -> ddim(warmStart(obs, prev, ts[0]), ts, cond));
                x = fresh("x_start_chain");
                Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType("If").setName(x).addInput(isFirst).addOutput(x)
                        .addAttribute(Onnx.AttributeProto.newBuilder().setName("then_branch")
                                .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(coldBranch))
                        .addAttribute(Onnx.AttributeProto.newBuilder().setName("else_branch")
                                .setType(Onnx.AttributeProto.AttributeType.GRAPH).setG(warmBranch));
                root.addNode(n);
            }
            String chunk = unnormalize(x, actN);
            int first = shape.firstExecuted();
            String actions = node("Slice", List.of(chunk, i64(first), i64(first + shape.actionSteps()), i64(1)));
            identity(chunk, CHUNK);
            identity(actions, ACTIONS);
            root.addOutput(valueInfo(ACTIONS, Onnx.TensorProto.DataType.FLOAT_VALUE, new long[] {-1, shape.actionSteps(), da}));
            root.addOutput(valueInfo(CHUNK, Onnx.TensorProto.DataType.FLOAT_VALUE, new long[] {-1, h, da}));

            Onnx.ModelProto.Builder m = Onnx.ModelProto.newBuilder().setIrVersion(OnnxBuilder.IR_VERSION)
                    .setProducerName("step-infer FusedOnnx")
                    .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OnnxBuilder.OPSET))
                    .setGraph(root);
            meta(m, "step.method", method.label());
            meta(m, "step.timesteps", java.util.Arrays.toString(ts));
            if (readsPreviousChunk(method, p.predictorUsesPrevious()))
                meta(m, "step.cold_start", "ddim " + java.util.Arrays.toString(coldTimesteps(method, p.scheduler())));
            return m.build();
        }

        /** The warm start's first sample: x = √ᾱ_τ·σÂ + √(1−ᾱ_τ)·ε, in float64 as {@code WarmStart.form}. */
        private String warmStart(String obs, String prev, int tau) {
            String est;
            if (method.method() == Method.TEMPORAL) {
                int h = shape.horizon(), ta = shape.actionSteps();
                long[] idx = new long[h];
                for (int i = 0; i < h; i++) idx[i] = Math.min(i + ta, h - 1);
                est = node("Gather", List.of(prev, i64(idx)), integer("axis", 1));
            } else {
                Map<String, String> in = new HashMap<>();
                in.put(StepPredictorNet.OBS, obs);
                if (p.predictorUsesPrevious()) in.put(StepPredictorNet.PREV_ACTION, prev);
                est = graft(predGraph, "pred", in);
            }
            double sigma = method.warmStart().sigma();
            if (sigma != 1.0) est = toFloat(node("Mul", List.of(toDouble(est), f64(sigma))));
            double acp = schedule.alphaCumprod(tau);
            double a = Math.sqrt(acp), s = Math.sqrt(1.0 - acp);
            return toFloat(node("Add", List.of(node("Mul", List.of(toDouble(est), f64(a))), node("Mul", List.of(toDouble(NOISE), f64(s))))));
        }

        /** DDIM (η = 0) over the timesteps from x, as {@code DdimSolver.update} in float32. */
        private String ddim(String x, int[] ts, String cond) {
            boolean epsilon = prediction == PredictionType.EPSILON;
            for (int i = 0; i < ts.length; i++) {
                int prevT = i + 1 < ts.length ? ts[i + 1] : -1;
                Map<String, String> in = new HashMap<>();
                in.put(ConditionalUnet1d.SAMPLE, x);
                in.put(ConditionalUnet1d.TIMESTEP, timestep(ts[i]));
                in.put(ConditionalUnet1d.GLOBAL_COND, cond);
                String out = graft(dpGraph, "dp", in);
                float[] c = new float[4];
                DdimSolver.coefficients(schedule, ts[i], prevT, c);
                float sqrtBetaProdT = c[0], sqrtAcpT = c[1], sqrtAcpPrev = c[2], dir = c[3];
                String x0, eps;
                if (epsilon) {
                    x0 = node("Div", List.of(node("Sub", List.of(x, node("Mul", List.of(out, f32(sqrtBetaProdT))))), f32(sqrtAcpT)));
                    eps = out;
                } else {
                    x0 = out;
                    eps = node("Div", List.of(node("Sub", List.of(x, node("Mul", List.of(x0, f32(sqrtAcpT))))), f32(sqrtBetaProdT)));
                }
                if (clip) x0 = node("Clip", List.of(x0, f32(-1f), f32(1f)));
                x = node("Add", List.of(node("Mul", List.of(x0, f32(sqrtAcpPrev))), node("Mul", List.of(eps, f32(dir)))));
            }
            return x;
        }

        /** (float)(raw·scale + offset) in float64, per last-axis dimension, as {@code LinearNormalizer.normalize(int, double)}. */
        private String normalize(String raw, LinearNormalizer n) {
            return toFloat(node("Add", List.of(node("Mul", List.of(toDouble(raw), f64(n.scale()))), f64(n.offset()))));
        }

        /** (y − offset) / scale in float64, rounded to float32. */
        private String unnormalize(String y, LinearNormalizer n) {
            return toFloat(node("Div", List.of(node("Sub", List.of(toDouble(y), f64(n.offset()))), f64(n.scale()))));
        }

        /** The timestep t as a float [B] tensor, made once in the root graph. */
        private String timestep(int t) {
            String v = timestepValues.get(t);
            if (v != null) return v;
            Onnx.GraphProto.Builder saved = cur;
            cur = root;
            v = node("Expand", List.of(f32(t), batchShape));
            cur = saved;
            timestepValues.put(t, v);
            return v;
        }

        /** Builds an If branch; its single output is the value the body returns. */
        private Onnx.GraphProto branch(String name, java.util.function.Supplier<String> body) {
            Onnx.GraphProto.Builder saved = cur;
            cur = Onnx.GraphProto.newBuilder().setName(name);
            String out = body.get();
            String named = fresh(name + "_out");
            identity(out, named);
            cur.addOutput(valueInfo(named, Onnx.TensorProto.DataType.FLOAT_VALUE, new long[] {-1, shape.horizon(), shape.actionDim()}));
            Onnx.GraphProto g = cur.build();
            cur = saved;
            return g;
        }

        /**
         * Copies a network's nodes into the current graph with its inputs bound to {@code inputs}; returns its output.
         * Initialisers (prefixed with {@code net}) and nodes that read initialisers only are added to the root once;
         * every other value is renamed per call.
         */
        private String graft(Onnx.GraphProto g, String net, Map<String, String> inputs) {
            String call = net + "_call" + (calls++) + "/";
            Set<String> constant = new HashSet<>();
            for (Onnx.TensorProto t : g.getInitializerList()) {
                constant.add(t.getName());
                if (hoisted.add(net + "/" + t.getName())) root.addInitializer(t.toBuilder().setName(net + "/" + t.getName()));
            }
            Map<String, String> rename = new HashMap<>();
            for (Onnx.ValueInfoProto in : g.getInputList()) {
                if (constant.contains(in.getName())) continue;
                String bound = inputs.get(in.getName());
                if (bound == null) throw new UserError("--fused: no value for the network input '" + in.getName() + "'");
                rename.put(in.getName(), bound);
            }
            for (String c : constant) rename.put(c, net + "/" + c);
            for (Onnx.NodeProto n : g.getNodeList()) {
                boolean isConst = n.getInputList().stream().allMatch(i -> i.isEmpty() || constant.contains(i)) && !n.getOpType().startsWith("Random");
                String prefix = isConst ? net + "/" : call;
                Onnx.NodeProto.Builder b = n.toBuilder().clearInput().clearOutput().setName(prefix + n.getName());
                for (String i : n.getInputList()) b.addInput(i.isEmpty() ? i : rename.getOrDefault(i, i));
                for (String o : n.getOutputList()) {
                    String r = prefix + o;
                    rename.put(o, r);
                    b.addOutput(r);
                    if (isConst) constant.add(o);
                }
                if (isConst) {
                    if (hoisted.add("node:" + prefix + n.getName())) root.addNode(b);
                } else {
                    cur.addNode(b);
                }
            }
            String out = g.getOutput(0).getName();
            return rename.get(out);
        }

        // ---- small graph helpers -----------------------------------------------------------------------------

        private String fresh(String op) {
            return "fused/" + op.toLowerCase() + "_" + (counter++);
        }

        private String node(String op, List<String> inputs, Onnx.AttributeProto... attrs) {
            String out = fresh(op);
            cur.addNode(OnnxNodes.node(op, out, inputs, attrs));
            return out;
        }

        private void identity(String value, String name) {
            cur.addNode(Onnx.NodeProto.newBuilder().setOpType("Identity").setName(name + "_identity").addInput(value).addOutput(name));
        }

        private String toDouble(String v) {
            return node("Cast", List.of(v), integer("to", Onnx.TensorProto.DataType.DOUBLE_VALUE));
        }

        private String toFloat(String v) {
            return node("Cast", List.of(v), integer("to", Onnx.TensorProto.DataType.FLOAT_VALUE));
        }

        private void input(String name, long... dims) {
            long[] full = new long[dims.length + 1];
            full[0] = -1;
            System.arraycopy(dims, 0, full, 1, dims.length);
            root.addInput(valueInfo(name, Onnx.TensorProto.DataType.FLOAT_VALUE, full));
        }

        private String f32(float... v) {
            ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(v);
            return init(Onnx.TensorProto.DataType.FLOAT_VALUE, buf.array(), v.length == 1 ? new long[0] : new long[] {v.length});
        }

        private String f64(double... v) {
            ByteBuffer buf = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asDoubleBuffer().put(v);
            return init(Onnx.TensorProto.DataType.DOUBLE_VALUE, buf.array(), v.length == 1 ? new long[0] : new long[] {v.length});
        }

        private String f64(float[] v) {
            double[] d = new double[v.length];
            for (int i = 0; i < v.length; i++) d[i] = v[i];
            ByteBuffer buf = ByteBuffer.allocate(8 * d.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asDoubleBuffer().put(d);
            return init(Onnx.TensorProto.DataType.DOUBLE_VALUE, buf.array(), new long[] {d.length});
        }

        private String i64(long... v) {
            ByteBuffer buf = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
            buf.asLongBuffer().put(v);
            return init(Onnx.TensorProto.DataType.INT64_VALUE, buf.array(), new long[] {v.length});
        }

        private String init(int type, byte[] raw, long[] dims) {
            String name = fresh("const");
            Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name).setDataType(type).setRawData(ByteString.copyFrom(raw));
            for (long d : dims) t.addDims(d);
            root.addInitializer(t);
            return name;
        }

        private static Onnx.ValueInfoProto valueInfo(String name, int type, long[] shape) {
            Onnx.TensorShapeProto.Builder sh = Onnx.TensorShapeProto.newBuilder();
            for (long d : shape) {
                Onnx.TensorShapeProto.Dimension.Builder dim = Onnx.TensorShapeProto.Dimension.newBuilder();
                if (d < 0) dim.setDimParam("batch");
                else dim.setDimValue(d);
                sh.addDim(dim);
            }
            return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                    .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(type).setShape(sh))).build();
        }

        private static void meta(Onnx.ModelProto.Builder m, String key, String value) {
            m.addMetadataProps(Onnx.StringStringEntryProto.newBuilder().setKey(key).setValue(value));
        }

        private static Onnx.GraphProto parse(byte[] bytes, String what) {
            try {
                Onnx.ModelProto m = Onnx.ModelProto.parseFrom(bytes);
                for (Onnx.OperatorSetIdProto o : m.getOpsetImportList())
                    if ((o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) && o.getVersion() > OnnxBuilder.OPSET)
                        throw new UserError("--fused: " + what + " uses opset " + o.getVersion() + ", the fused file is opset " + OnnxBuilder.OPSET);
                return m.getGraph();
            } catch (InvalidProtocolBufferException e) {
                throw new UserError("--fused: " + what + " is not an ONNX model: " + e.getMessage(), e);
            }
        }

        private static boolean hasInput(Onnx.GraphProto g, String name) {
            return g.getInputList().stream().anyMatch(i -> i.getName().equals(name));
        }

        private static long dimOf(Onnx.GraphProto g, String input, int axis) {
            for (Onnx.ValueInfoProto i : g.getInputList())
                if (i.getName().equals(input)) return i.getType().getTensorType().getShape().getDim(axis).getDimValue();
            return -1;
        }
    }
}
