package org.steppolicy.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A SameDiff network plus its scalar loss: the trainer's view of a model. Parameters are the graph's trainable
 * (VARIABLE) floating-point variables, in a stable (sorted) order; their arrays are updated in place.
 */
public final class TrainGraph {
    private final SameDiff sd;
    private final String lossName;
    private final List<String> paramNames;
    private final Map<String, INDArray> params = new LinkedHashMap<>();
    private boolean gradientsBuilt;
    private boolean recycleArrays = true;

    public TrainGraph(SameDiff sd, String lossName) {
        if (!sd.hasVariable(lossName)) throw new IllegalArgumentException("graph has no loss variable " + lossName);
        this.sd = sd;
        this.lossName = lossName;
        List<String> names = new ArrayList<>();
        for (SDVariable v : sd.variables())
            if (v.getVariableType() == VariableType.VARIABLE && v.dataType().isFPType()) names.add(v.name());
        Collections.sort(names);
        this.paramNames = List.copyOf(names);
        for (String n : paramNames) params.put(n, sd.getArrForVarName(n));
        sd.setLossVariables(lossName);
        applyBlasThreads();
    }

    /** Environment variable: OpenBLAS threads for the GEMMs of training (see {@link #applyBlasThreads()}). */
    public static final String BLAS_THREADS_ENV = "STEP_BLAS_THREADS";
    private static volatile boolean blasThreadsApplied;

    /**
     * {@value #BLAS_THREADS_ENV}=n gives OpenBLAS n threads while libnd4j's own (element-wise) ops keep
     * OMP_NUM_THREADS (1 by default in ./step): ND4J 1.0.0-M2.1 sets OpenBLAS's thread count to OMP_NUM_THREADS at
     * start-up, and {@code Nd4j.factory().blas().setMaxThreads(n)} afterwards changes the GEMMs only (checked per
     * thread: a second thread works during sgemm, not during an add; {@code Nd4j.getEnvironment().setMaxThreads} has no
     * effect in M2.1). Unset: ND4J's default. docs/performance.md, "Training step, third pass".
     */
    static void applyBlasThreads() {
        if (blasThreadsApplied) return;
        blasThreadsApplied = true;
        String v = System.getenv(BLAS_THREADS_ENV);
        if (v == null || v.isBlank()) return;
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(BLAS_THREADS_ENV + " must be a positive integer, got '" + v + "'");
        }
        if (n < 1) throw new IllegalArgumentException(BLAS_THREADS_ENV + " must be a positive integer, got '" + v + "'");
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(n);
    }

    /**
     * Builds the backward graph now. SameDiff 1.0.0-M2.1's createGradFunction prints one "Added differentiated op"
     * line per op with System.out.println (not a logger, so no log setting silences it); the CLI's stdout is for
     * results, so stdout is muted for this one call. Training is single-threaded; nothing else prints meanwhile.
     */
    private static void createGradientsQuietly(SameDiff sd) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(out);
        }
    }

    public SameDiff sameDiff() { return sd; }

    /** Whether gradient runs reuse the previous run's internal arrays ({@link RecyclingMemMgr}); on by default. */
    TrainGraph recycleArrays(boolean on) {
        this.recycleArrays = on;
        return this;
    }
    public String lossName() { return lossName; }
    public List<String> paramNames() { return paramNames; }

    /** Live parameter arrays by name (sorted). */
    public Map<String, INDArray> params() { return params; }

    public long parameterCount() {
        long n = 0;
        for (INDArray a : params.values()) n += a.length();
        return n;
    }

    /** Forward and backward pass: returns the loss, gradients by parameter name. */
    public Result lossAndGradients(Map<String, INDArray> feed) {
        if (!gradientsBuilt) {
            createGradientsQuietly(sd);
            gradientsBuilt = true;
        }
        RecyclingMemMgr pool = gradientSessionPool();
        if (pool != null) pool.recycle();   // the previous step's results have been consumed (see RecyclingMemMgr)
        OutAndGrad og = sd.calculateGradientsAndOutputs(feed, List.of(lossName), paramNames);
        INDArray loss = og.getOutputs().get(lossName);
        double value = loss.getDouble(0);
        release(loss);
        if (pool == null) gradientSessionPool();   // installs the pool on the session the first call created
        return new Result(value, og.getGradients());
    }

    /**
     * The recycling memory manager of this thread's gradient session, installed on first sight; null before the
     * session exists (SameDiff creates it on the first gradient run).
     */
    private RecyclingMemMgr gradientSessionPool() {
        SameDiff grad = sd.getFunction(GRAD_FUNCTION);
        InferenceSession session = grad == null ? null : grad.getSessions().get(Thread.currentThread().getId());
        if (session == null) return null;
        if (session.getMmgr() instanceof RecyclingMemMgr r) return r;
        if (!recycleArrays) return null;
        RecyclingMemMgr r = new RecyclingMemMgr();
        session.setMmgr(r);
        return r;
    }

    /** Name under which SameDiff 1.0.0-M2.1 keeps the backward graph (SameDiff.GRAD_FN_KEY, protected there). */
    private static final String GRAD_FUNCTION = "grad";

    /** Forward pass only: the loss. */
    public double loss(Map<String, INDArray> feed) {
        INDArray loss = sd.output(feed, lossName).get(lossName);
        double value = loss.getDouble(0);
        release(loss);
        return value;
    }

    /** Loss and gradients; {@link #close()} frees the gradients' native memory once they are applied. */
    public record Result(double loss, Map<String, INDArray> gradients) implements AutoCloseable {
        @Override
        public void close() {
            gradients.values().forEach(TrainGraph::release);
        }
    }

    /**
     * Frees an array's native buffer now. ND4J releases native memory only when the Java object is collected, and the
     * tiny heap footprint of a training step rarely triggers a collection: without this the process grows by about
     * one set of activations per step until an emergency GC.
     */
    static void release(INDArray a) {
        if (a != null && a.closeable()) a.close();
    }

    /**
     * SameDiff's session frees arrays only through the garbage collector, and a step leaves almost nothing on the Java
     * heap. Before {@link RecyclingMemMgr}, native memory grew by a set of activations (about 0.8 GB at batch 256 for
     * the small U-Net) per step and needed a collection every step. Now only the detached results (gradients, loss:
     * about 22 MB per U-Net step) become garbage, so a collection (50-150 ms) every {@link #GC_INTERVAL_NANOS} keeps
     * resident memory flat (measured 2.8 GB peak over 20 steps, docs/performance.md) at a few % of the step time.
     */
    public void collectNative() {
        long now = System.nanoTime();
        if (now - lastCollection < GC_INTERVAL_NANOS) return;
        System.gc();
        lastCollection = System.nanoTime();
    }

    private static final long GC_INTERVAL_NANOS = 10_000_000_000L;
    private long lastCollection = System.nanoTime();

    /** Frees every array of a feed (after the step that used it). */
    public static void release(Map<String, INDArray> feed) {
        feed.values().forEach(TrainGraph::release);
    }
}
