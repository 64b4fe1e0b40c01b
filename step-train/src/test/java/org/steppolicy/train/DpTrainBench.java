package org.steppolicy.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Not a test: the DP U-Net's training step timed in pieces (feed, forward+backward, AdamW, GC, EMA) as
 * {@link TrainBench} runs it, with wall and process CPU time per step; for docs/performance.md.
 * Usage: java ... DpTrainBench dims=64,128,256 batch=256 steps=6 warm=3 [profile=1 top=40]
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
        System.out.printf(Locale.ROOT, "graph built in %.0f ms: %d ops, %d params%n", (System.nanoTime() - tb) / 1e6,
                g.sameDiff().getOps().size(), g.parameterCount());
        PredictorTrainBench.OpTimer timer = a.containsKey("profile") ? new PredictorTrainBench.OpTimer() : null;
        if (timer != null) g.sameDiff().setListeners(timer);
        AdamW opt = new AdamW(new AdamW.Settings(s.beta1(), s.beta2(), s.adamEps(), s.weightDecay()));
        EmaModel ema = new EmaModel(s.ema(), g.params());
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
            System.out.printf(Locale.ROOT, "step %d: total %.1f ms (feed %.1f, fwd+bwd %.1f, adamw %.1f, gc %.1f, ema %.1f), process cpu %.1f ms, loss %.5f%n",
                    i, row[0], row[1], row[2], row[3], row[4], row[5], row[6], r.loss());
            if (i >= warm) rows.add(row);
            if (timer != null && i == warm - 1) timer.reset();
        }
        if (timer != null) timer.print(steps, Integer.parseInt(a.getOrDefault("top", "40")));
        List<Double> tot = new ArrayList<>(), cpu = new ArrayList<>();
        for (double[] r : rows) {
            tot.add(r[0]);
            cpu.add(r[6]);
        }
        Collections.sort(tot);
        Collections.sort(cpu);
        System.out.printf(Locale.ROOT, "RESULT dp dims=%s batch=%d omp=%s median_ms=%.1f min_ms=%.1f cpu_median_ms=%.1f cpu_min_ms=%.1f%n",
                dims, batch, System.getenv("OMP_NUM_THREADS"), tot.get(tot.size() / 2), tot.get(0), cpu.get(cpu.size() / 2), cpu.get(0));
    }
}
