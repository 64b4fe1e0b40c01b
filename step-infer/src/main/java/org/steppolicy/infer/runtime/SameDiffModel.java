package org.steppolicy.infer.runtime;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.NetworkDefinition;
import org.steppolicy.models.SameDiffBuilder;
import org.steppolicy.models.TensorStore;

/**
 * A network's SameDiff rendering run for inference: the reference runtime (and the CUDA path, with the CUDA
 * backend on the class path). Placeholder arrays are kept per batch size and overwritten in place; SameDiff still
 * allocates its outputs and intermediates on every call.
 *
 * <p>SameDiff's inference session leaks (docs/reference/runtime-notes.md, trap 3: about 40 MB heap and 50-100 MB native per
 * 1,000 batch-1 calls); clearing {@code sd.getSessions()} every {@link #DEFAULT_CLEAR_EVERY} calls keeps memory flat
 * at the cost of rebuilding one session's bookkeeping. Not thread-safe.
 */
final class SameDiffModel implements CompiledNet {

    /** Calls between session clears: rare enough to cost nothing measurable, often enough to stay flat. */
    static final int DEFAULT_CLEAR_EVERY = 200;

    private final SameDiff sd;
    private final List<String> inputs;
    private final String output;
    private final Map<String, long[]> shapes = new HashMap<>();
    private final Map<Integer, Map<String, INDArray>> feeds = new HashMap<>();
    private final int clearEvery;
    private long calls;

    /** @param clearEvery calls between clears of the inference sessions; 0 never clears (only to show the leak) */
    SameDiffModel(NetworkDefinition net, TensorStore params, List<String> inputs, String output, int clearEvery) {
        SameDiffBuilder b = new SameDiffBuilder(SameDiff.create(), params, false);
        net.define(b);
        this.sd = b.sameDiff();
        this.inputs = List.copyOf(inputs);
        this.output = output;
        this.clearEvery = clearEvery;
        for (String name : inputs) {
            if (!sd.hasVariable(name)) throw new IllegalArgumentException("SameDiff graph has no input '" + name + "'");
            shapes.put(name, b.shapeOf(sd.getVariable(name)));
        }
        shapes.put(output, b.shapeOf(sd.getVariable(output)));
    }

    @Override
    public long[] shape(String name) { return shapes.get(name); }

    private Map<String, INDArray> feed(int batch) {
        return feeds.computeIfAbsent(batch, bs -> {
            Map<String, INDArray> m = new LinkedHashMap<>();
            for (String name : inputs) {
                long[] s = shapes.get(name).clone();
                s[0] = bs;
                m.put(name, Nd4j.create(DataType.FLOAT, s, 'c'));
            }
            return m;
        });
    }

    /** Writes into the named placeholder through the returned buffer (native memory, position 0). */
    @Override
    public FloatBuffer input(String name, int batch) {
        FloatBuffer buf = feed(batch).get(name).data().asNioFloat();
        buf.clear();
        return buf;
    }


    @Override
    public void run(int batch, float[] out) {
        INDArray y = sd.output(feed(batch), output).get(output);
        int n = batch * perItem(output);
        if (y.length() != n) throw new IllegalStateException("SameDiff output has " + y.length() + " values, expected " + n);
        INDArray c = y.ordering() == 'c' && y.elementWiseStride() == 1 ? y : y.dup('c');
        FloatBuffer buf = c.data().asNioFloat();
        buf.position((int) c.offset());
        buf.get(out, 0, n);
        if (clearEvery > 0 && ++calls % clearEvery == 0) clearSessions();
    }

    /** Drops the per-thread inference sessions (and what they hold on to). */
    void clearSessions() {
        sd.getSessions().clear();
    }

    @Override
    public void close() {
        clearSessions();
        feeds.clear();
    }
}
