package org.steppolicy.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.PredictorNetConfig.Kind;

/**
 * Not a test: the predictor's training step timed in pieces (feed, forward+backward, AdamW, GC) exactly as
 * {@link Trainer} runs it, on random Push-T-sized windows; for docs/performance.md.
 * Usage: java ... PredictorTrainBench batch=256 steps=10 warm=3 [kind=step] [profile=/tmp/prof.json]
 */
public final class PredictorTrainBench {

    public static void main(String[] args) {
        Map<String, String> a = new java.util.HashMap<>();
        for (String s : args) a.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        int batch = Integer.parseInt(a.getOrDefault("batch", "256"));
        int steps = Integer.parseInt(a.getOrDefault("steps", "10"));
        int warm = Integer.parseInt(a.getOrDefault("warm", "3"));
        Kind kind = Kind.parse(a.getOrDefault("kind", "step"));
        PredictorTrainSettings s = PredictorTrainSettings.paper(kind).withSchedule(batch, 1000, 1e-4, 10, 1000, 1000);
        long tb = System.nanoTime();
        WindowSource data = TrainBench.randomWindows(batch * 4, s.horizon(), TrainBench.PUSHT_OBS_DIM, TrainBench.PUSHT_ACTION_DIM, 1);
        PredictorTask task = new PredictorTask(s, data, null, "{}");
        TrainGraph g = task.graph();
        System.out.printf(Locale.ROOT, "graph built in %.0f ms: %d ops, %d params%n", (System.nanoTime() - tb) / 1e6,
                g.sameDiff().getOps().size(), g.parameterCount());
        OpTimer timer = a.containsKey("profile") ? new OpTimer() : null;
        if (timer != null) g.sameDiff().setListeners(timer);
        AdamW opt = new AdamW(s.trainerSettings().adam());
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < warm + steps; i++) {
            long t0 = System.nanoTime(), c0 = cpuNanos();
            Map<String, INDArray> feed = task.trainFeed(i);
            Nd4j.getRandom().setSeed(StepRandom.of(s.seed(), i, StepRandom.DROPOUT).nextLong());
            long t1 = System.nanoTime();
            TrainGraph.Result r = g.lossAndGradients(feed);
            long t2 = System.nanoTime();
            opt.step(g.params(), r.gradients(), 1e-4);
            r.close();
            TrainGraph.release(feed);
            long t3 = System.nanoTime();
            g.collectNative();
            long t4 = System.nanoTime(), c4 = cpuNanos();
            double[] row = {(t4 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (c4 - c0) / 1e6};
            System.out.printf(Locale.ROOT, "step %d: total %.1f ms (feed %.1f, fwd+bwd %.1f, adamw %.1f, gc %.1f), process cpu %.1f ms, loss %.4f%n",
                    i, row[0], row[1], row[2], row[3], row[4], row[5], r.loss());
            if (i >= warm) rows.add(row);
            if (timer != null && i == warm - 1) timer.reset();
        }
        if (timer != null) timer.print(steps, Integer.parseInt(a.getOrDefault("top", "40")));
        System.out.printf(Locale.ROOT, "RESULT predictor kind=%s batch=%d %s%n", kind.id(), batch, summary(rows, 0, 5));
    }

    /** "median_ms=… min_ms=… cpu_median_ms=… cpu_min_ms=…" over the timed rows' wall and CPU columns. */
    static String summary(List<double[]> rows, int wallCol, int cpuCol) {
        List<Double> tot = new ArrayList<>(), cpu = new ArrayList<>();
        for (double[] r : rows) {
            tot.add(r[wallCol]);
            cpu.add(r[cpuCol]);
        }
        Collections.sort(tot);
        Collections.sort(cpu);
        return String.format(Locale.ROOT, "median_ms=%.1f min_ms=%.1f cpu_median_ms=%.1f cpu_min_ms=%.1f",
                tot.get(tot.size() / 2), tot.get(0), cpu.get(cpu.size() / 2), cpu.get(0));
    }

    /** CPU time of the whole process (all threads: OpenMP, GC, JIT), which the load of other processes does not inflate. */
    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Wall time per op type and per op instance, summed over the timed steps. */
    static final class OpTimer extends org.nd4j.autodiff.listeners.BaseListener {
        private final Map<String, double[]> byType = new java.util.HashMap<>(), byName = new java.util.HashMap<>();
        private long start;

        @Override public boolean isActive(org.nd4j.autodiff.listeners.Operation op) { return true; }

        @Override
        public void preOpExecution(org.nd4j.autodiff.samediff.SameDiff sd, org.nd4j.autodiff.listeners.At at,
                                   org.nd4j.autodiff.samediff.internal.SameDiffOp op, org.nd4j.linalg.api.ops.OpContext ctx) {
            start = System.nanoTime();
        }

        @Override
        public void opExecution(org.nd4j.autodiff.samediff.SameDiff sd, org.nd4j.autodiff.listeners.At at,
                                org.nd4j.linalg.dataset.api.MultiDataSet batch, org.nd4j.autodiff.samediff.internal.SameDiffOp op,
                                org.nd4j.linalg.api.ops.OpContext ctx, INDArray[] outputs) {
            double ms = (System.nanoTime() - start) / 1e6;
            String shape = outputs.length > 0 && outputs[0] != null ? java.util.Arrays.toString(outputs[0].shape()) : "";
            byType.computeIfAbsent(op.getOp().opName(), k -> new double[2])[0] += ms;
            byType.get(op.getOp().opName())[1]++;
            byName.computeIfAbsent(op.getName() + " " + shape, k -> new double[2])[0] += ms;
            byName.get(op.getName() + " " + shape)[1]++;
        }

        void reset() { byType.clear(); byName.clear(); }

        void print(int steps, int top) {
            double total = byType.values().stream().mapToDouble(v -> v[0]).sum();
            System.out.printf(Locale.ROOT, "op time per step: %.1f ms in %.0f ops%n", total / steps,
                    byType.values().stream().mapToDouble(v -> v[1]).sum() / steps);
            byType.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0])).limit(top)
                    .forEach(e -> System.out.printf(Locale.ROOT, "  type %-28s %8.1f ms/step %5.0f calls%n", e.getKey(), e.getValue()[0] / steps, e.getValue()[1] / steps));
            byName.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[0], x.getValue()[0])).limit(top)
                    .forEach(e -> System.out.printf(Locale.ROOT, "  op %-70s %8.1f ms/step%n", e.getKey(), e.getValue()[0] / steps));
        }
    }
}
