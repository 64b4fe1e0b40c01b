package org.steppolicy.infer;

import java.util.SplittableRandom;

/**
 * Seeded standard-normal draws (Box–Muller over SplittableRandom), one instance per runner: no shared state, and the
 * same seed gives the same stream on every JVM. {@link #replay} makes a stream of given draws instead, so that another
 * runtime (the fused {@code step_policy.onnx}, whose noise is an input) and a {@link ChunkPlanner} can run on the same noise.
 */
public final class GaussianNoise {
    private SplittableRandom random;
    private double spare;
    private boolean hasSpare;
    private float[] draws;   // a replayed stream: these values in order, then none
    private int pos;

    /**
     * A stream that returns {@code draws} in order (widened to double) and fails once they are used up; reseeding it
     * turns it into a seeded stream. The draws are copied.
     */
    public static GaussianNoise replay(float[] draws) {
        GaussianNoise g = new GaussianNoise(0);
        g.draws = draws.clone();
        return g;
    }

    /** For a replayed stream, the draws not yet returned; for a seeded one, −1. */
    public int remaining() {
        return draws == null ? -1 : draws.length - pos;
    }

    public GaussianNoise(long seed) {
        reseed(seed);
    }

    public void reseed(long seed) {
        random = new SplittableRandom(seed);
        hasSpare = false;
        draws = null;
        pos = 0;
    }

    public double next() {
        if (draws != null) {
            if (pos == draws.length)
                throw new IllegalStateException("replayed noise used up: all " + draws.length + " draws were taken");
            return draws[pos++];
        }
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
