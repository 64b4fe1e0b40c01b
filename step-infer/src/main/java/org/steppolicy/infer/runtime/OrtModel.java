package org.steppolicy.infer.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime session over an in-memory model with float inputs and one float output, all with a dynamic
 * leading batch axis. For every batch size it sees, it keeps direct buffers and {@link OnnxTensor}s that wrap them
 * (inputs and a pinned output), so a call only copies floats into and out of native memory: ORT itself allocates
 * nothing for the output, and the Java side allocates the small {@code Result} wrapper ORT's API forces.
 * Not thread-safe (one instance per environment thread, like every runtime here).
 */
final class OrtModel implements CompiledNet {

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final List<String> inputs;
    private final String output;
    private final Map<String, long[]> shapes = new HashMap<>();
    private final Map<Integer, Binding> bindings = new HashMap<>();

    /** Buffers and tensors of one batch size. */
    private static final class Binding {
        final Map<String, FloatBuffer> in = new HashMap<>();
        final Map<String, OnnxTensor> inTensors = new LinkedHashMap<>();
        FloatBuffer out;
        Map<String, OnnxTensor> outTensor;
    }

    /**
     * @param model   the ModelProto bytes (OnnxBuilder output, or an exported .onnx file)
     * @param threads intra-op threads (ORT's own pool; 0 lets ORT choose)
     */
    OrtModel(byte[] model, List<String> inputs, String output, int threads) {
        this.inputs = List.copyOf(inputs);
        this.output = output;
        try {
            this.session = open(env, model, threads);
            for (String name : inputs) shapes.put(name, shapeOf(session.getInputInfo(), name, "input"));
            shapes.put(output, shapeOf(session.getOutputInfo(), output, "output"));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /**
     * A session over {@code model} as every ONNX Runtime session of a policy is set up: all graph optimisations,
     * {@code threads} intra-op threads (0: ORT chooses), one inter-op thread, no spinning.
     */
    static OrtSession open(OrtEnvironment env, byte[] model, int threads) throws OrtException {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setIntraOpNumThreads(Math.max(0, threads));
            opts.setInterOpNumThreads(1);
            // A policy runs the predictor's and the denoiser's sessions back to back: spinning pool threads of one
            // session starve the other's (STEP-2 took 68 ms against DDIM-2's 38 ms at 2 threads with spinning on).
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            return env.createSession(model, opts);
        }
    }

    private static long[] shapeOf(Map<String, NodeInfo> infos, String name, String what) {
        NodeInfo info = infos.get(name);
        if (info == null) throw new IllegalArgumentException("ONNX model has no " + what + " '" + name + "' (has " + infos.keySet() + ")");
        if (!(info.getInfo() instanceof TensorInfo t)) throw new IllegalArgumentException(what + " '" + name + "' is not a tensor");
        return t.getShape();
    }

    @Override
    public long[] shape(String name) { return shapes.get(name); }

    private Binding binding(int batch) {
        Binding b = bindings.get(batch);
        if (b != null) return b;
        b = new Binding();
        try {
            for (String name : inputs) {
                FloatBuffer buf = direct(batch * perItem(name));
                b.in.put(name, buf);
                b.inTensors.put(name, OnnxTensor.createTensor(env, buf, withBatch(shapes.get(name), batch)));
            }
            b.out = direct(batch * perItem(output));
            b.outTensor = Map.of(output, OnnxTensor.createTensor(env, b.out, withBatch(shapes.get(output), batch)));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
        bindings.put(batch, b);
        return b;
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static long[] withBatch(long[] shape, int batch) {
        long[] s = shape.clone();
        s[0] = batch;
        return s;
    }


    /** Writes into the named input through the returned buffer (position 0, capacity batch*perItem). */
    @Override
    public FloatBuffer input(String name, int batch) {
        FloatBuffer buf = binding(batch).in.get(name);
        buf.clear();
        return buf;
    }

    /** Runs the session and copies the output into out[0 .. batch*perItem(output)). */
    @Override
    public void run(int batch, float[] out) {
        Binding b = binding(batch);
        try (OrtSession.Result r = session.run(b.inTensors, b.outTensor)) {
            // The pinned output tensor stays ours; closing the result leaves it open.
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        }
        b.out.clear();
        b.out.get(out, 0, b.out.capacity());
    }

    @Override
    public void close() {
        for (Binding b : bindings.values()) {
            b.inTensors.values().forEach(OnnxTensor::close);
            b.outTensor.values().forEach(OnnxTensor::close);
        }
        bindings.clear();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }
}
