package org.steppolicy.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: forward+backward of one k=5 convolution, each formulation in the activation layout it would keep in the
 * model (no permutes around it), interleaved; wall and thread CPU time. Usage: ConvLayoutBench C L reps
 */
public final class ConvLayoutBench {

    /** x in the variant's layout; w [k, in, out]; b [out]. */
    interface Variant { SDVariable build(SameDiff sd, SDVariable x, SDVariable w, SDVariable b, int c, int l, int k); }

    record V(String layout, Variant v) {}

    public static void main(String[] args) {
        int batch = 256, c = Integer.parseInt(args[0]), l = Integer.parseInt(args[1]), k = 5, p = k / 2;
        int reps = Integer.parseInt(args[2]);
        Map<String, V> variants = new java.util.LinkedHashMap<>();
        variants.put("conv1d NCW", new V("BCL", (sd, x, w, b, cc, ll, kk) -> sd.cnn.conv1d(x, w, b,
                Conv1DConfig.builder().k(kk).s(1).p(p).paddingMode(PaddingMode.VALID).dataFormat("NCW").build())));
        variants.put("conv1d NWC", new V("BLC", (sd, x, w, b, cc, ll, kk) -> sd.cnn.conv1d(x, w, b,
                Conv1DConfig.builder().k(kk).s(1).p(p).paddingMode(PaddingMode.VALID).dataFormat("NWC").build())));
        variants.put("LBC k matmuls", new V("LBC", (sd, x, w, b, cc, ll, kk) -> {
            SDVariable xp = sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{p, p}, {0, 0}, {0, 0}})), 0.0);
            SDVariable y = null;
            for (int j = 0; j < kk; j++) {
                SDVariable s = sd.reshape(xp.get(SDIndex.interval(j, j + ll), SDIndex.all(), SDIndex.all()), -1, cc);
                SDVariable wj = sd.squeeze(w.get(SDIndex.interval(j, j + 1), SDIndex.all(), SDIndex.all()), 0);
                SDVariable t = j == 0 ? sd.nn.linear(s, wj, b) : sd.mmul(s, wj);
                y = y == null ? t : y.add(t);
            }
            return sd.reshape(y, ll, -1, cc);
        }));
        variants.put("LBC concat matmul", new V("LBC", (sd, x, w, b, cc, ll, kk) -> {
            SDVariable xp = sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{p, p}, {0, 0}, {0, 0}})), 0.0);
            List<SDVariable> cols = new ArrayList<>();
            for (int j = 0; j < kk; j++) cols.add(xp.get(SDIndex.interval(j, j + ll), SDIndex.all(), SDIndex.all()));
            SDVariable u = sd.reshape(sd.concat(2, cols.toArray(new SDVariable[0])), -1, (long) kk * cc);
            return sd.reshape(sd.nn.linear(u, sd.reshape(w, (long) kk * cc, cc), b), ll, -1, cc);
        }));
        variants.put("BLC concat matmul", new V("BLC", (sd, x, w, b, cc, ll, kk) -> {
            SDVariable xp = sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {p, p}, {0, 0}})), 0.0);
            List<SDVariable> cols = new ArrayList<>();
            for (int j = 0; j < kk; j++) cols.add(xp.get(SDIndex.all(), SDIndex.interval(j, j + ll), SDIndex.all()));
            SDVariable u = sd.reshape(sd.concat(2, cols.toArray(new SDVariable[0])), -1, (long) kk * cc);
            return sd.reshape(sd.nn.linear(u, sd.reshape(w, (long) kk * cc, cc), b), -1, ll, cc);
        }));
        Map<String, SameDiff> graphs = new java.util.LinkedHashMap<>();
        Nd4j.getRandom().setSeed(3);
        INDArray xv = Nd4j.randn(DataType.FLOAT, batch, c, l);
        INDArray wv = Nd4j.randn(DataType.FLOAT, k, c, c).muli(0.05);
        INDArray bv = Nd4j.randn(DataType.FLOAT, c);
        Map<String, INDArray> ref = new java.util.HashMap<>();
        for (var e : variants.entrySet()) {
            INDArray xin = switch (e.getValue().layout()) {
                case "BCL" -> xv.dup();
                case "BLC" -> xv.permute(0, 2, 1).dup('c');
                default -> xv.permute(2, 0, 1).dup('c');
            };
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", xin), w = sd.var("w", wv.dup()), b = sd.var("b", bv.dup());
            SDVariable y = e.getValue().v().build(sd, x, w, b, c, l, k);
            y.rename("y");
            sd.math.square(y).mean("loss");
            sd.setLossVariables("loss");
            graphs.put(e.getKey(), sd);
            var g = sd.calculateGradients(Map.of(), "x", "w", "b");
            ref.put(e.getKey(), g.get("w"));
        }
        INDArray w0 = ref.get("conv1d NCW");
        for (var e : ref.entrySet()) {
            System.out.printf("check %s: max |dW - dW_conv1d| = %.2e (max |dW| %.2e)%n", e.getKey(), e.getValue().sub(w0).amaxNumber().doubleValue(),
                    w0.amaxNumber().doubleValue());
        }
        var bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, List<double[]>> times = new java.util.LinkedHashMap<>();
        for (int r = 0; r < reps; r++) {
            for (var e : graphs.entrySet()) {
                long t0 = System.nanoTime(), c0 = bean.getCurrentThreadCpuTime();
                e.getValue().calculateGradients(Map.of(), "x", "w", "b");
                times.computeIfAbsent(e.getKey(), kk -> new ArrayList<>()).add(new double[] {(System.nanoTime() - t0) / 1e6, (bean.getCurrentThreadCpuTime() - c0) / 1e6});
            }
        }
        for (var e : times.entrySet()) {
            List<double[]> t = e.getValue().subList(e.getValue().size() / 2, e.getValue().size());
            if (System.getenv("VERBOSE") != null) { StringBuilder sb = new StringBuilder(e.getKey() + ":"); for (double[] d : t) sb.append(String.format(" %.0f", d[0])); System.out.println(sb); }
            List<Double> wall = new ArrayList<>(), cpu = new ArrayList<>();
            for (double[] d : t) { wall.add(d[0]); cpu.add(d[1]); }
            Collections.sort(wall);
            Collections.sort(cpu);
            System.out.printf("RESULT conv B=%d C=%d L=%d k=%d %-20s fwd+bwd median %.2f ms (min %.2f), thread cpu median %.2f ms%n", batch, c, l, k,
                    e.getKey(), wall.get(wall.size() / 2), wall.get(0), cpu.get(cpu.size() / 2));
        }
    }
}
