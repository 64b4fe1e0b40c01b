package org.steppolicy.train;

import java.util.SplittableRandom;

/**
 * Random streams keyed by (seed, step, purpose), so that the noise, timesteps, batch order and dropout of any training
 * step can be regenerated from the step number alone: a resumed run needs no saved RNG state to continue exactly.
 */
public final class StepRandom {
    /** Purposes, each its own independent stream. */
    public static final long NOISE = 1, TIMESTEPS = 2, SHUFFLE = 3, DROPOUT = 4, INIT = 5, CROP = 6;

    private StepRandom() {}

    public static SplittableRandom of(long seed, long step, long purpose) {
        return new SplittableRandom(mix(mix(mix(seed) ^ step) ^ (purpose * 0x9E3779B97F4A7C15L)));
    }

    /** SplitMix64's finaliser: spreads nearby keys over the whole 64-bit range. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
