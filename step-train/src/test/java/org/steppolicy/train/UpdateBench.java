package org.steppolicy.train;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.ParamSpec;
import org.steppolicy.models.UnetConfig;

/**
 * Not a test: AdamW + EMA over the small U-Net's parameter shapes, ND4J ops vs {@link FusedUpdate}, alternating,
 * thread CPU time per update. Usage: java ... UpdateBench reps=20
 */
public final class UpdateBench {
    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0].replace("reps=", "")) : 20;
        ConditionalUnet1d net = new ConditionalUnet1d(UnetConfig.of(2, 40, java.util.List.of(64, 128, 256), 256), 16);
        Map<String, INDArray> params = new LinkedHashMap<>(), grads = new LinkedHashMap<>();
        long n = 0;
        for (Map.Entry<String, ParamSpec> e : net.parameters().entrySet()) {
            params.put(e.getKey(), Nd4j.rand(DataType.FLOAT, e.getValue().shape()));
            grads.put(e.getKey(), Nd4j.randn(DataType.FLOAT, e.getValue().shape()).muli(1e-3));
            n += params.get(e.getKey()).length();
        }
        AdamW opt = new AdamW(new AdamW.Settings(0.95, 0.999, 1e-8, 1e-6));
        EmaModel ema = new EmaModel(EmaModel.Settings.diffusionPolicy(), params);
        var tmx = ManagementFactory.getThreadMXBean();
        double[][] t = new double[2][reps];
        for (int r = 0; r < reps + 5; r++) {
            for (int k = 0; k < 2; k++) {
                int v = r % 2 == 0 ? k : 1 - k;
                FusedUpdate.enabled = v == 1;
                long c0 = tmx.getCurrentThreadCpuTime();
                opt.step(params, grads, 1e-4);
                ema.update(params);
                if (r >= 5) t[v][r - 5] = (tmx.getCurrentThreadCpuTime() - c0) / 1e6;
            }
        }
        for (int v = 0; v < 2; v++) {
            java.util.Arrays.sort(t[v]);
            System.out.printf(Locale.ROOT, "RESULT %s: AdamW + EMA over %,d params: thread cpu median %.1f ms (min %.1f) over %d reps, load %s%n",
                    v == 1 ? "fused" : "nd4j ", n, t[v][reps / 2], t[v][0], reps, DpTrainAb.loadAverage());
        }
    }
}
