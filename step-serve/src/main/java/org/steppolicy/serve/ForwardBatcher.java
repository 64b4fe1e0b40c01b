package org.steppolicy.serve;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;

/**
 * Runs concurrent forwards of different sessions as one batched forward. Every session keeps computing its own chunk
 * (its own noise, solver state and warm start); only the network calls meet here. A session's U-Net call carries its
 * own timestep, so sessions at different solver steps, or of different methods, share a batch.
 *
 * <p>No dispatcher thread: the first caller that finds a model instance free leads a batch and runs it on its own
 * thread (a lone robot pays no hand-off); callers that arrive meanwhile queue and are run by the next leader. At most
 * as many forwards run at once as each network has instances, over all networks together: the instances are sized to
 * the cores, and a request that would only compete for a core batches better by waiting for the next forward. A
 * leader waits, at most {@code window}, only while some session is inside a chunk without a request queued or running
 * here, i.e. between two of its network calls and about to arrive; with nobody else computing it runs at once.
 *
 * <p>Rows are independent in every network here (per-sample normalisation, row-wise GEMMs), so a session's result
 * does not depend on who it was batched with (PolicyServerBatchingTest compares them with unbatched calls).
 */
final class ForwardBatcher {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final int maxBatch;
    private final long windowNanos;
    // Guarded by lock:
    private int inChunk;   // sessions inside predictChunk
    private int pending;   // requests queued or running, over every network
    private int leaders;   // batches being formed or run, over every network
    private long forwards, rows;

    ForwardBatcher(int maxBatch, Duration window) {
        if (maxBatch < 2) throw new IllegalArgumentException("batching needs a batch of at least 2, got " + maxBatch);
        this.maxBatch = maxBatch;
        this.windowNanos = window.toNanos();
    }

    int maxBatch() { return maxBatch; }

    /** Forwards run and the session rows they carried, over every network since the start. */
    BatchStats stats() {
        lock.lock();
        try {
            return new BatchStats(forwards, rows);
        } finally {
            lock.unlock();
        }
    }

    /** A session starts computing a chunk: its network calls will follow. */
    void enterChunk() {
        lock.lock();
        try {
            inChunk++;
        } finally {
            lock.unlock();
        }
    }

    /** The session's chunk is done: leaders waiting for it stop waiting. */
    void exitChunk() {
        lock.lock();
        try {
            inChunk--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One queued forward of one session (batch 1). */
    private abstract static class Request {
        boolean taken, done;
        RuntimeException error;
    }

    /** The queue of one network; its batches run on instances borrowed from the pool, at most one per instance. */
    private abstract class Lane<T extends AutoCloseable, R extends Request> {
        final ModelPool<T> pool;
        final ArrayDeque<R> queue = new ArrayDeque<>();
        final int instances;
        boolean forming;    // a leader is collecting its batch: later arrivals join it instead of leading their own

        Lane(ModelPool<T> pool) {
            this.pool = pool;
            this.instances = pool.size();
        }

        /** Runs the batch on one instance: gathers the rows, one forward, scatters the outputs. */
        abstract void run(T model, List<R> batch);

        void call(R r) {
            lock.lock();
            try {
                queue.add(r);
                pending++;
                changed.signalAll();
                while (!r.done) {
                    if (!r.taken && !forming && leaders < instances) lead();
                    else changed.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
            if (r.error != null) throw r.error;
        }

        /** Under the lock: forms a batch from the queue's head, runs it unlocked, marks its requests done. */
        private void lead() {
            leaders++;
            forming = true;
            long deadline = System.nanoTime() + windowNanos;
            long left;
            while (queue.size() < maxBatch && inChunk > pending && (left = deadline - System.nanoTime()) > 0) {
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            List<R> batch = new ArrayList<>(Math.min(maxBatch, queue.size()));
            while (batch.size() < maxBatch && !queue.isEmpty()) {
                R q = queue.poll();
                q.taken = true;
                batch.add(q);
            }
            forming = false;
            changed.signalAll();
            lock.unlock();
            RuntimeException error = null;
            try {
                T model = pool.borrow();
                try {
                    run(model, batch);
                } finally {
                    pool.giveBack(model);
                }
            } catch (RuntimeException e) {
                error = e;
            } finally {
                lock.lock();
            }
            for (R q : batch) {
                q.error = error;
                q.done = true;
            }
            pending -= batch.size();
            forwards++;
            rows += batch.size();
            leaders--;
            changed.signalAll();
        }
    }

    /** A denoiser view of the pool whose calls are batched across sessions. */
    Denoiser denoiser(ModelPool<Denoiser> pool) {
        Denoiser first = pool.any();
        int horizon = first.horizon(), inputDim = first.inputDim(), condDim = first.condDim();
        int xLen = horizon * inputDim;
        Denoiser unbatched = ModelPool.denoiser(pool);
        final class Call extends Request {
            final float[] x, cond, out;
            final int t;

            Call(float[] x, int t, float[] cond, float[] out) {
                this.x = x;
                this.t = t;
                this.cond = cond;
                this.out = out;
            }
        }
        Lane<Denoiser, Call> lane = new Lane<>(pool) {
            @Override
            void run(Denoiser d, List<Call> batch) {
                int n = batch.size();
                float[] x = new float[n * xLen], cond = new float[n * Math.max(condDim, 0)], out = new float[n * xLen];
                int[] t = new int[n];
                for (int i = 0; i < n; i++) {
                    Call c = batch.get(i);
                    System.arraycopy(c.x, 0, x, i * xLen, xLen);
                    if (condDim > 0) System.arraycopy(c.cond, 0, cond, i * condDim, condDim);
                    t[i] = c.t;
                }
                d.predict(x, t, cond, n, out);
                for (int i = 0; i < n; i++) System.arraycopy(out, i * xLen, batch.get(i).out, 0, xLen);
            }
        };
        return new Denoiser() {
            public int horizon() { return horizon; }
            public int inputDim() { return inputDim; }
            public int condDim() { return condDim; }
            public void predict(float[] x, int[] t, float[] cond, int batch, float[] out) {
                if (batch != 1) direct(() -> unbatched.predict(x, t, cond, batch, out));
                else lane.call(new Call(x, t[0], cond, out));
            }
        };
    }

    /** A predictor view of the pool whose calls are batched across sessions. */
    ChunkPredictor predictor(ModelPool<ChunkPredictor> pool) {
        ChunkPredictor first = pool.any();
        int horizon = first.horizon(), actionDim = first.actionDim();
        boolean usesPrev = first.usesPreviousChunk();
        int chunkLen = horizon * actionDim;
        ChunkPredictor unbatched = ModelPool.predictor(pool);
        final class Call extends Request {
            final float[] obs, prev, out;

            Call(float[] obs, float[] prev, float[] out) {
                this.obs = obs;
                this.prev = prev;
                this.out = out;
            }
        }
        Lane<ChunkPredictor, Call> lane = new Lane<>(pool) {
            @Override
            void run(ChunkPredictor p, List<Call> batch) {
                int n = batch.size();
                int obsLen = batch.get(0).obs.length;
                for (Call c : batch)
                    if (c.obs.length != obsLen) throw new IllegalStateException("sessions gave observation windows of different sizes");
                float[] obs = new float[n * obsLen], prev = new float[n * chunkLen], out = new float[n * chunkLen];
                for (int i = 0; i < n; i++) {
                    Call c = batch.get(i);
                    System.arraycopy(c.obs, 0, obs, i * obsLen, obsLen);
                    if (usesPrev) System.arraycopy(c.prev, 0, prev, i * chunkLen, chunkLen);
                }
                p.predict(obs, prev, n, out);
                for (int i = 0; i < n; i++) System.arraycopy(out, i * chunkLen, batch.get(i).out, 0, chunkLen);
            }
        };
        return new ChunkPredictor() {
            public int horizon() { return horizon; }
            public int actionDim() { return actionDim; }
            public boolean usesPreviousChunk() { return usesPrev; }
            public void predict(float[] obs, float[] prev, int batch, float[] out) {
                if (batch != 1) direct(() -> unbatched.predict(obs, prev, batch, out));
                else lane.call(new Call(obs, prev, out));
            }
        };
    }

    /** A forward of several rows from one session (Falcon's candidates) runs as it is, counted as pending. */
    private void direct(Runnable forward) {
        lock.lock();
        try {
            pending++;
        } finally {
            lock.unlock();
        }
        try {
            forward.run();
        } finally {
            lock.lock();
            try {
                pending--;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }
}
