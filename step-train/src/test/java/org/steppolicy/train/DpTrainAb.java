package org.steppolicy.train;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: a same-process A/B of the DP training step, for a loaded machine. Variants alternate step by step
 * (order flipped every round) in one JVM, so load changes hit both alike; besides wall time it reports the CPU time
 * of the stepping thread (nanosecond resolution; with OMP_NUM_THREADS=1 all element-wise work runs on it) and of
 * the process. Usage:
 * <pre>
 * java ... DpTrainAb mode=blas rounds=8 warm=8       # A: OpenBLAS 1 thread, B: Nd4j.factory().blas().setMaxThreads(2)
 * </pre>
 * (The third pass's rendering A/B used a baseline switch in SameDiffBuilder; it was removed after the measurement,
 * docs/performance.md, so that the builder has no global switch. To repeat it, build the earlier commit.)
 * <pre>
 * </pre>
 */
public final class DpTrainAb {

    private record Variant(String name, DpTask task, TrainGraph graph, AdamW opt, EmaModel ema, int blasThreads,
                           List<double[]> rows) {}

    public static void main(String[] args) {
        Map<String, String> a = new java.util.HashMap<>();
        for (String s : args) a.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        String mode = a.getOrDefault("mode", "blas");
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "8"));
        int warm = Integer.parseInt(a.getOrDefault("warm", "8"));
        int batch = Integer.parseInt(a.getOrDefault("batch", "256"));
        List<Integer> dims = new ArrayList<>();
        for (String d : a.getOrDefault("dims", "64,128,256").split(",")) dims.add(Integer.parseInt(d));
        DpTrainSettings s = DpTrainSettings.pushT().withNet(dims, 256).withSchedule(batch, 1000, 10, 1000, 1000);
        WindowSource data = TrainBench.randomWindows(batch, s.horizon(), TrainBench.PUSHT_OBS_DIM, TrainBench.PUSHT_ACTION_DIM, 1);
        List<Variant> vs = new ArrayList<>();
        if (mode.equals("blas")) {
            Variant one = variant("A-blas1", s, data, 1);
            vs.add(one);
            vs.add(new Variant("B-blas2", one.task(), one.graph(), one.opt(), one.ema(), 2, new ArrayList<>()));
        } else {
            throw new IllegalArgumentException("mode blas");
        }
        ThreadMXBean tmx = ManagementFactory.getThreadMXBean();
        for (int r = 0; r < warm + rounds; r++) {
            for (int k = 0; k < vs.size(); k++) {
                Variant v = vs.get(r % 2 == 0 ? k : vs.size() - 1 - k);
                if (v.blasThreads() > 0) Nd4j.factory().blas().setMaxThreads(v.blasThreads());
                long t0 = System.nanoTime(), c0 = tmx.getCurrentThreadCpuTime(), p0 = PredictorTrainBench.cpuNanos();
                Map<String, INDArray> feed = v.task().trainFeed(r);
                TrainGraph.Result res = v.graph().lossAndGradients(feed);
                if (r == 0) {
                    long fused = v.graph().params().entrySet().stream().filter(e -> {
                        INDArray g = res.gradients().get(e.getKey());
                        return g != null && FusedUpdate.applies(e.getValue(), g);
                    }).count();
                    System.out.printf(Locale.ROOT, "%s: AdamW's fused path applies to %d of %d parameter tensors%n",
                            v.name(), fused, v.graph().params().size());
                }
                v.opt().step(v.graph().params(), res.gradients(), 1e-4);
                res.close();
                TrainGraph.release(feed);
                v.graph().collectNative();
                v.ema().update(v.graph().params());
                double[] row = {(System.nanoTime() - t0) / 1e6, (tmx.getCurrentThreadCpuTime() - c0) / 1e6,
                        (PredictorTrainBench.cpuNanos() - p0) / 1e6};
                System.out.printf(Locale.ROOT, "round %d %s: wall %.1f ms, thread cpu %.1f ms, process cpu %.1f ms, loss %.5f%n",
                        r, v.name(), row[0], row[1], row[2], res.loss());
                if (r >= warm) v.rows().add(row);
            }
        }
        System.out.printf(Locale.ROOT, "load %s%n", loadAverage());
        for (Variant v : vs) {
            System.out.printf(Locale.ROOT, "RESULT %s mode=%s dims=%s batch=%d omp=%s: wall median %.1f (min %.1f), thread cpu median %.1f (min %.1f), process cpu median %.1f ms over %d steps%n",
                    v.name(), mode, dims, batch, System.getenv("OMP_NUM_THREADS"), med(v.rows(), 0), min(v.rows(), 0),
                    med(v.rows(), 1), min(v.rows(), 1), med(v.rows(), 2), v.rows().size());
        }
    }

    private static Variant variant(String name, DpTrainSettings s, WindowSource data, int blasThreads) {
        DpTask task = DpTask.withUnet(s, data, null, "{}");
        TrainGraph g = task.graph();
        return new Variant(name, task, g, new AdamW(s.trainerSettings().adam()), new EmaModel(s.trainerSettings().ema(), g.params()),
                blasThreads, new ArrayList<>());
    }

    private static double med(List<double[]> rows, int col) {
        double[] v = rows.stream().mapToDouble(r -> r[col]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    private static double min(List<double[]> rows, int col) {
        return rows.stream().mapToDouble(r -> r[col]).min().orElse(Double.NaN);
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
