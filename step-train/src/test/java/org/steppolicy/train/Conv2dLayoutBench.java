package org.steppolicy.train;

import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: one SameDiff conv2d (forward + backward) at a ResNet-18 layer1 size, NCHW against NHWC, for
 * docs/performance.md (the image DP's step is ~88 % conv2d / conv2d_bp). Usage: java ... Conv2dLayoutBench [n=64 c=64 hw=21 reps=3]
 */
public final class Conv2dLayoutBench {
    public static void main(String[] args) {
        Map<String, String> a = new java.util.HashMap<>();
        for (String s : args) a.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
        int n = Integer.parseInt(a.getOrDefault("n", "64")), c = Integer.parseInt(a.getOrDefault("c", "64"));
        int hw = Integer.parseInt(a.getOrDefault("hw", "21")), reps = Integer.parseInt(a.getOrDefault("reps", "3"));
        for (String fmt : new String[] {"NCHW", "NHWC", "GEMM", "NCHW", "NHWC", "GEMM"}) {
            SameDiff sd = SameDiff.create();
            boolean nhwc = !fmt.equals("NCHW");
            SDVariable x = sd.var("x", Nd4j.rand(DataType.FLOAT, nhwc ? new long[] {n, hw, hw, c} : new long[] {n, c, hw, hw}));
            SDVariable w = sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 3, c, c));
            Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
                    .paddingMode(PaddingMode.VALID).dataFormat(fmt).build();
            SDVariable y;
            if (fmt.equals("GEMM")) {   // im2col by 9 shifted slices of the zero-padded NHWC input, then one GEMM
                SDVariable xp = sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{0, 0}, {1, 1}, {1, 1}, {0, 0}})), 0.0);
                java.util.List<SDVariable> cols = new java.util.ArrayList<>();
                for (int dy = 0; dy < 3; dy++)
                    for (int dx = 0; dx < 3; dx++)
                        cols.add(xp.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.interval(dy, dy + hw),
                                org.nd4j.autodiff.samediff.SDIndex.interval(dx, dx + hw), org.nd4j.autodiff.samediff.SDIndex.all()));
                SDVariable col = sd.reshape(sd.concat(3, cols.toArray(new SDVariable[0])), (long) n * hw * hw, 9L * c);
                y = col.mmul(sd.reshape(w, 9L * c, c));
            } else {
                y = sd.cnn.conv2d(x, w, cfg);
            }
            SDVariable loss = y.std(true).rename("loss");
            sd.setLossVariables("loss");
            double best = Double.MAX_VALUE, bestF = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                sd.output(Map.of(), "loss");
                long t1 = System.nanoTime();
                sd.calculateGradients(Map.of(), "x", "w");
                long t2 = System.nanoTime();
                bestF = Math.min(bestF, (t1 - t0) / 1e6);
                best = Math.min(best, (t2 - t1) / 1e6);
            }
            double gflop = 2.0 * n * hw * hw * c * c * 9 / 1e9;
            System.out.printf(Locale.ROOT, "RESULT conv2d %s n=%d c=%d hw=%d: forward %.0f ms (%.1f GFLOP/s), forward+backward %.0f ms (%.1f GFLOP/s at 3x)%n",
                    fmt, n, c, hw, bestF, gflop / (bestF / 1e3), best, 3 * gflop / (best / 1e3));
        }
    }
}
