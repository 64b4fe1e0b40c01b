package org.steppolicy.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Not a test: the DP U-Net's training step timed in pieces (feed, forward+backward, AdamW, GC, EMA) as
 * {@link TrainBench} runs it, with wall and process CPU time per step; for docs/performance.md.
 * Usage: java ... DpTrainBench dims=64,128,256 batch=256 steps=6 warm=3 [recycle=0] [profile=1 top=40] [countmem=1]
 */
public final class DpTrainBench {

    public static void main(String[] args) {
        Map<String, String> a = new java.util.HashMap<>();
        for (String s : args) a.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        int batch = Integer.parseInt(a.getOrDefault("batch", "256"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "6"));
        int warm = Integer.parseInt(a.getOrDefault("warm", "3"));
        List<Integer> dims = new ArrayList<>();
        for (String d : a.getOrDefault("dims", "64,128,256").split(",")) dims.add(Integer.parseInt(d));
        DpTrainSettings s = DpTrainSettings.pushT().withNet(dims, 256).withSchedule(batch, 1000, 10, 1000, 1000);
        long tb = System.nanoTime();
        WindowSource data = TrainBench.randomWindows(batch, s.horizon(), TrainBench.PUSHT_OBS_DIM, TrainBench.PUSHT_ACTION_DIM, 1);
        DpTask task = DpTask.withUnet(s, data, null, "{}");
        TrainGraph g = task.graph();
        g.recycleArrays(!"0".equals(a.get("recycle")));
        System.out.printf(Locale.ROOT, "graph built in %.0f ms: %d ops, %d params%n", (System.nanoTime() - tb) / 1e6,
                g.sameDiff().getOps().size(), g.parameterCount());
        PredictorTrainBench.OpTimer timer = a.containsKey("profile") ? new PredictorTrainBench.OpTimer() : null;
        if (timer != null) g.sameDiff().setListeners(timer);
        AdamW opt = new AdamW(s.trainerSettings().adam());
        EmaModel ema = new EmaModel(s.trainerSettings().ema(), g.params());
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < warm + steps; i++) {
            long t0 = System.nanoTime(), c0 = PredictorTrainBench.cpuNanos();
            Map<String, INDArray> feed = task.trainFeed(i);
            long t1 = System.nanoTime();
            TrainGraph.Result r = g.lossAndGradients(feed);
            long t2 = System.nanoTime();
            opt.step(g.params(), r.gradients(), 1e-4);
            r.close();
            TrainGraph.release(feed);
            long t3 = System.nanoTime();
            g.collectNative();
            long t4 = System.nanoTime();
            ema.update(g.params());
            long t5 = System.nanoTime(), c5 = PredictorTrainBench.cpuNanos();
            double[] row = {(t5 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t5 - t4) / 1e6, (c5 - c0) / 1e6};
            System.out.printf(Locale.ROOT, "step %d: total %.1f ms (feed %.1f, fwd+bwd %.1f, adamw %.1f, gc %.1f, ema %.1f), process cpu %.1f ms, loss %.5f, peak rss %.2f GB%n",
                    i, row[0], row[1], row[2], row[3], row[4], row[5], row[6], r.loss(), TrainBench.peakRss() / 1e9);
            if (i >= warm) rows.add(row);
            if (timer != null && i == warm - 1) timer.reset();
            if (a.containsKey("countmem")) {
                if (i == 0) {
                    for (var sess : g.sameDiff().getFunction("grad").getSessions().values()) sess.setMmgr(new CountingMemMgr(sess.getMmgr()));
                } else {
                    for (var sess : g.sameDiff().getFunction("grad").getSessions().values())
                        if (sess.getMmgr() instanceof CountingMemMgr m) m.report();
                }
            }
        }
        if (timer != null) timer.print(steps, Integer.parseInt(a.getOrDefault("top", "40")));
        System.out.printf(Locale.ROOT, "RESULT dp dims=%s batch=%d omp=%s recycle=%s %s%n",
                dims, batch, System.getenv("OMP_NUM_THREADS"), a.getOrDefault("recycle", "1"), PredictorTrainBench.summary(rows, 0, 6));
    }

    /** Counts SameDiff's session allocations (hits: shape already cached) and releases per step. */
    static final class CountingMemMgr extends org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr {
        private final org.nd4j.autodiff.samediff.internal.SessionMemMgr inner;
        private long allocs, bytes, hits, releases, detached;

        CountingMemMgr(org.nd4j.autodiff.samediff.internal.SessionMemMgr inner) { this.inner = inner; }

        @Override public INDArray allocate(boolean det, org.nd4j.linalg.api.buffer.DataType dt, long... shape) {
            allocs++;
            if (det) detached++;
            if (inner instanceof org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr c && c.getArrays().contains(dt, java.util.Arrays.toString(shape))
                    && !c.getArrays().get(dt, java.util.Arrays.toString(shape)).isEmpty()) hits++;
            long n = dt.width();
            for (long d : shape) n *= d;
            bytes += n;
            return inner.allocate(det, dt, shape);
        }
        @Override public INDArray allocate(boolean det, org.nd4j.linalg.api.shape.LongShapeDescriptor d) {
            return allocate(det, d.dataType(), d.getShape());
        }
        @Override public void release(INDArray arr) { releases++; inner.release(arr); }
        @Override public void close() { inner.close(); }
        void report() {
            System.out.printf(Locale.ROOT, "  mmgr: %d allocations (%d detached, %d cache hits), %.1f MB, %d releases%n", allocs, detached, hits, bytes / 1e6, releases);
            allocs = bytes = hits = releases = detached = 0;
        }
    }
}
