package org.steppolicy.infer;

import java.util.SplittableRandom;

/**
 * Seeded standard-normal draws (Box–Muller over SplittableRandom), one instance per runner: no shared state, and the
 * same seed gives the same stream on every JVM.
 */
public final class GaussianNoise {
    private SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    public GaussianNoise(long seed) {
        reseed(seed);
    }

    public void reseed(long seed) {
        random = new SplittableRandom(seed);
        hasSpare = false;
    }

    public double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        // 1 − u keeps the logarithm's argument in (0, 1].
        double r = Math.sqrt(-2.0 * Math.log(1.0 - random.nextDouble()));
        double phi = 2.0 * Math.PI * random.nextDouble();
        spare = r * Math.sin(phi);
        hasSpare = true;
        return r * Math.cos(phi);
    }

    /** A uniform draw in [0, 1) from the same stream (Falcon's exploration and selection, docs/falcon.md). */
    public double uniform() {
        return random.nextDouble();
    }

    /** Overwrites a[off .. off+len) with fresh draws. */
    public void fill(float[] a, int off, int len) {
        for (int i = off; i < off + len; i++) a[i] = (float) next();
    }
}
