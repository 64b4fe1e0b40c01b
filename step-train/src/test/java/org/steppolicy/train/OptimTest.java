package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class OptimTest {
    @Test
    void cosineWarmupMatchesDiffusers() {
        CosineWarmupSchedule s = new CosineWarmupSchedule(1e-4, 500, 10_500);
        assertEquals(0.0, s.lr(0), 0.0, "first optimiser step uses lr 0");
        assertEquals(1e-4 * 250 / 500.0, s.lr(250), 1e-15);
        assertEquals(1e-4, s.lr(500), 1e-15);
        assertEquals(0.5e-4, s.lr(5_500), 1e-12);
        assertEquals(0.0, s.lr(10_500), 1e-15);
    }

    @Test
    void adamWFollowsPyTorchFormula() {
        AdamW.Settings set = new AdamW.Settings(0.95, 0.999, 1e-8, 1e-2);
        AdamW opt = new AdamW(set);
        float[] p0 = {0.5f, -1.0f, 2.0f};
        INDArray p = Nd4j.createFromArray(p0.clone());
        double[] m = new double[3], v = new double[3], ref = {0.5, -1.0, 2.0};
        float[][] grads = {{0.1f, -0.2f, 0.3f}, {0.05f, 0.4f, -0.1f}, {-0.3f, 0.0f, 0.2f}};
        double[] lrs = {0.0, 0.01, 0.02};
        for (int step = 0; step < 3; step++) {
            opt.step(Map.of("w", p), Map.of("w", Nd4j.createFromArray(grads[step])), lrs[step]);
            int t = step + 1;
            for (int i = 0; i < 3; i++) {
                double g = grads[step][i];
                ref[i] *= 1 - lrs[step] * set.weightDecay();
                m[i] = 0.95 * m[i] + 0.05 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                double denom = Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                ref[i] -= lrs[step] / (1 - Math.pow(0.95, t)) * m[i] / denom;
            }
            for (int i = 0; i < 3; i++) assertEquals(ref[i], p.getDouble(i), 2e-6, "step " + t + " element " + i);
        }
        assertEquals(3, opt.stepCount());
        assertEquals(DataType.FLOAT, opt.firstMoments().get("w").dataType());
    }

    @Test
    void emaDecayAndUpdateFollowReference() {
        EmaModel.Settings s = EmaModel.Settings.diffusionPolicy();
        INDArray p = Nd4j.createFromArray(1f, 2f);
        EmaModel ema = new EmaModel(s, Map.of("w", p));
        assertEquals(0.0, ema.decay(0), 0.0);
        assertEquals(0.0, ema.decay(1), 0.0);
        assertEquals(1 - Math.pow(2, -0.75), ema.decay(2), 1e-12);
        assertEquals(0.9999, ema.decay(10_000_000), 0.0, "clamped at max");
        p.assign(Nd4j.createFromArray(3f, 4f));
        ema.update(Map.of("w", p)); // decay 0: copy
        assertArrayEquals(new float[] {3f, 4f}, ema.averages().get("w").toFloatVector(), 0f);
        ema.update(Map.of("w", p));
        p.assign(Nd4j.createFromArray(5f, 4f));
        ema.update(Map.of("w", p)); // n = 2
        double d = 1 - Math.pow(2, -0.75);
        assertEquals(d * 3 + (1 - d) * 5, ema.averages().get("w").getDouble(0), 1e-6);
        assertEquals(3, ema.updates());
    }
}
