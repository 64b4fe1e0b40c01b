package org.steppolicy.models;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded initial values for declared parameters. Each parameter draws from its own stream, split from the seed
 * in declaration order, so a network's values do not depend on anything but its definition and the seed.
 * The rules themselves ({@link ParamSpec.Init}) are chosen by the networks: PyTorch defaults for the U-Net
 * (docs/reference/diffusion-policy.md §A.1, "Initialisation"), N(0, 0.02) for the transformer predictor (docs/reference/step-method.md).
 */
public final class ParamInit {

    private ParamInit() {}

    public static TensorStore init(Map<String, ParamSpec> params, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        TensorStore store = new TensorStore();
        for (Map.Entry<String, ParamSpec> e : params.entrySet()) {
            ParamSpec spec = e.getValue();
            SplittableRandom rnd = root.split();
            float[] v = new float[Math.toIntExact(spec.numel())];
            fill(v, spec.init(), rnd);
            store.put(e.getKey(), spec.shape(), v);
        }
        return store;
    }

    static void fill(float[] v, ParamSpec.Init init, SplittableRandom rnd) {
        if (init instanceof ParamSpec.Uniform u) {
            for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * rnd.nextDouble() - 1) * u.bound());
        } else if (init instanceof ParamSpec.Normal n) {
            for (int i = 0; i < v.length; i++) v[i] = (float) (gaussian(rnd) * n.std());
        } else if (init instanceof ParamSpec.Constant c) {
            java.util.Arrays.fill(v, (float) c.value());
        }
    }

    /** Marsaglia's polar method on a SplittableRandom (which has no nextGaussian in Java 17). */
    private static double gaussian(SplittableRandom rnd) {
        double x, y, s;
        do {
            x = 2 * rnd.nextDouble() - 1;
            y = 2 * rnd.nextDouble() - 1;
            s = x * x + y * y;
        } while (s >= 1 || s == 0);
        return x * Math.sqrt(-2 * Math.log(s) / s);
    }
}
