package org.steppolicy.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/** Not a test: forward+backward time of one k=5 convolution written four ways, interleaved (docs/performance.md). */
public final class ConvBench {

    interface Variant { SDVariable build(SameDiff sd, SDVariable x, SDVariable w, SDVariable b, int c, int l, int k); }

    public static void main(String[] args) {
        int batch = 256, c = Integer.parseInt(args.length > 0 ? args[0] : "128"), l = Integer.parseInt(args.length > 1 ? args[1] : "8"), k = 5;
        int reps = Integer.parseInt(args.length > 2 ? args[2] : "15");
        Map<String, Variant> variants = new java.util.LinkedHashMap<>();
        variants.put("conv1d NCW", (sd, x, w, b, cc, ll, kk) -> sd.cnn.conv1d(x, w, b,
                Conv1DConfig.builder().k(kk).s(1).p(kk / 2).paddingMode(PaddingMode.VALID).dataFormat("NCW").build()));
        variants.put("conv2d H=1 NCHW", (sd, x, w, b, cc, ll, kk) -> {
            SDVariable w4 = sd.expandDims(w, 0);                  // [1,k,in,out]
            SDVariable y = sd.cnn.conv2d(sd.expandDims(x, 2), w4, b, Conv2DConfig.builder().kH(1).kW(kk).sH(1).sW(1)
                    .pH(0).pW(kk / 2).dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build());
            return sd.squeeze(y, 2);
        });
        variants.put("unfold+matmul NWC", (sd, x, w, b, cc, ll, kk) -> {
            SDVariable xt = sd.permute(x, 0, 2, 1);                        // [B,L,C] (in the model the layout would stay NWC)
            SDVariable xp = sd.nn.pad(xt, sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {kk / 2, kk / 2}, {0, 0}})), 0.0);
            List<SDVariable> cols = new ArrayList<>();
            for (int j = 0; j < kk; j++) cols.add(xp.get(SDIndex.all(), SDIndex.interval(j, j + ll), SDIndex.all()));
            SDVariable u = sd.reshape(sd.concat(2, cols.toArray(new SDVariable[0])), -1, (long) kk * cc);
            SDVariable y = sd.nn.linear(u, sd.reshape(w, (long) kk * cc, cc), b);  // [B*L, out]
            return sd.permute(sd.reshape(y, -1, ll, cc), 0, 2, 1);
        });
        variants.put("im2col+matmul", (sd, x, w, b, cc, ll, kk) -> {
            SDVariable col = sd.cnn.im2Col(sd.expandDims(x, 2), Conv2DConfig.builder().kH(1).kW(kk).sH(1).sW(1)
                    .pH(0).pW(kk / 2).dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").build()); // [B,C,1,k,1,L]
            SDVariable u = sd.reshape(sd.permute(col, 0, 5, 3, 1, 2, 4), -1, (long) kk * cc);           // [B*L, k*C]
            SDVariable y = sd.nn.linear(u, sd.reshape(w, (long) kk * cc, cc), b);
            return sd.permute(sd.reshape(y, -1, ll, cc), 0, 2, 1);
        });
        Map<String, SameDiff> graphs = new java.util.LinkedHashMap<>();
        Nd4j.getRandom().setSeed(3);
        var xv = Nd4j.randn(DataType.FLOAT, batch, c, l);
        var wv = Nd4j.randn(DataType.FLOAT, k, c, c).muli(0.05);
        var bv = Nd4j.randn(DataType.FLOAT, c);
        Map<String, org.nd4j.linalg.api.ndarray.INDArray> ref = new java.util.HashMap<>();
        for (var e : variants.entrySet()) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", xv.dup()), w = sd.var("w", wv.dup()), b = sd.var("b", bv.dup());
            SDVariable y = e.getValue().build(sd, x, w, b, c, l, k);
            y.rename("y");
            sd.math.square(y).mean("loss");
            sd.setLossVariables("loss");
            graphs.put(e.getKey(), sd);
            var g = sd.calculateGradients(Map.of(), "x", "w", "b");
            ref.put(e.getKey(), g.get("w"));
        }
        var w0 = ref.values().iterator().next();
        for (var e : ref.entrySet()) {
            System.out.printf("check %s: max |dW - dW_conv1d| = %.2e%n", e.getKey(), e.getValue().sub(w0).amaxNumber().doubleValue());
        }
        Map<String, List<Double>> times = new java.util.LinkedHashMap<>();
        for (int r = 0; r < reps; r++) {
            for (var e : graphs.entrySet()) {
                long t0 = System.nanoTime();
                e.getValue().calculateGradients(Map.of(), "x", "w", "b");
                times.computeIfAbsent(e.getKey(), kk -> new ArrayList<>()).add((System.nanoTime() - t0) / 1e6);
            }
        }
        for (var e : times.entrySet()) {
            List<Double> t = e.getValue().subList(2, e.getValue().size());
            Collections.sort(t);
            System.out.printf("RESULT conv B=%d C=%d L=%d k=%d %-20s fwd+bwd median %.2f ms (min %.2f)%n", batch, c, l, k, e.getKey(),
                    t.get(t.size() / 2), t.get(0));
        }
    }
}
