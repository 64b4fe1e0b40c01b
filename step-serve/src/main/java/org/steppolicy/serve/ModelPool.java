package org.steppolicy.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;

/**
 * A fixed set of runtime instances of one network shared by every session. Runtimes reuse their buffers and are not
 * thread-safe, so each forward borrows an instance for its duration; with as many instances as compute slots
 * (the server's semaphore) a borrow never waits. Sessions keep all their own state outside (StepPolicy), so
 * which instance runs a forward does not change the result.
 */
final class ModelPool<T extends AutoCloseable> implements AutoCloseable {
    // Last in, first out: a lone session keeps reusing the instance whose buffers are in cache.
    private final BlockingDeque<T> free;
    private final List<T> all = new ArrayList<>();

    /** Takes over the instances (closes them with the pool). */
    ModelPool(List<T> instances) {
        if (instances.isEmpty()) throw new IllegalArgumentException("a model pool needs at least one instance");
        free = new LinkedBlockingDeque<>(instances.size());
        for (T m : instances) {
            all.add(m);
            free.add(m);
        }
    }

    T any() { return all.get(0); }

    int size() { return all.size(); }

    T borrow() {
        T m = free.pollFirst();
        if (m != null) return m;
        try {
            return free.takeFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a model instance", e);
        }
    }

    void giveBack(T m) { free.addFirst(m); }

    @Override
    public void close() {
        for (T m : all) {
            try {
                m.close();
            } catch (Exception ignored) {
                // closing a runtime session frees memory only
            }
        }
    }

    /** A denoiser view of the pool: every call runs on a borrowed instance. */
    static Denoiser denoiser(ModelPool<Denoiser> pool) {
        Denoiser first = pool.any();
        int horizon = first.horizon(), inputDim = first.inputDim(), condDim = first.condDim();
        return new Denoiser() {
            public int horizon() { return horizon; }
            public int inputDim() { return inputDim; }
            public int condDim() { return condDim; }
            public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
                Denoiser d = pool.borrow();
                try {
                    d.predict(x, t, cond, batch, out);
                } finally {
                    pool.giveBack(d);
                }
            }
        };
    }

    /** A BRIDGeR network view of the pool (bridger:K). */
    static org.steppolicy.infer.BridgeNetwork bridge(ModelPool<org.steppolicy.infer.BridgeNetwork> pool) {
        org.steppolicy.infer.BridgeNetwork first = pool.any();
        int horizon = first.horizon(), actionDim = first.actionDim(), condDim = first.condDim();
        return new org.steppolicy.infer.BridgeNetwork() {
            public int horizon() { return horizon; }
            public int actionDim() { return actionDim; }
            public int condDim() { return condDim; }
            public void predict(float[] x, float t, float[] cond, int batch, float[] velocity, float[] score) {
                org.steppolicy.infer.BridgeNetwork n = pool.borrow();
                try {
                    n.predict(x, t, cond, batch, velocity, score);
                } finally {
                    pool.giveBack(n);
                }
            }
        };
    }

    /** A predictor view of the pool. */
    static ChunkPredictor predictor(ModelPool<ChunkPredictor> pool) {
        ChunkPredictor first = pool.any();
        int horizon = first.horizon(), actionDim = first.actionDim();
        boolean prev = first.usesPreviousChunk();
        return new ChunkPredictor() {
            public int horizon() { return horizon; }
            public int actionDim() { return actionDim; }
            public boolean usesPreviousChunk() { return prev; }
            public void predict(float[] obs, float[] prevChunk, int batch, float[] out) {
                ChunkPredictor p = pool.borrow();
                try {
                    p.predict(obs, prevChunk, batch, out);
                } finally {
                    pool.giveBack(p);
                }
            }
        };
    }
}
