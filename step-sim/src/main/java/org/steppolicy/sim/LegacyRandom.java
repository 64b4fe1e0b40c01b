package org.steppolicy.sim;

import org.steppolicy.config.UserError;

/**
 * The subset of numpy's legacy {@code np.random.RandomState} that Push-T's reset draws from: MT19937 seeded with
 * init_genrand, {@code randint} by masked rejection and {@code randn} by the polar Box-Muller method with the
 * second value cached (docs/reference/pusht-env.md §E.2).
 */
public final class LegacyRandom {
    private static final int N = 624, M = 397;
    private final int[] mt = new int[N];
    private int mti;
    private boolean hasGauss;
    private double gauss;

    /** @param seed numpy accepts 0 .. 2^32-1 for an integer seed */
    public LegacyRandom(long seed) {
        if (seed < 0 || seed > 0xFFFF_FFFFL) {
            throw new UserError("seed " + seed + " is out of range: numpy's RandomState accepts 0 to 4294967295");
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
    }

    /** genrand_int32, returned as an unsigned value in a long. */
    public long nextUint32() {
        if (mti >= N) twist();
        int y = mt[mti++];
        y ^= (y >>> 11);
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= (y >>> 18);
        return y & 0xFFFF_FFFFL;
    }

    private void twist() {
        final int upper = 0x80000000, lower = 0x7fffffff, matrixA = 0x9908b0df;
        int kk;
        for (kk = 0; kk < N - M; kk++) {
            int y = (mt[kk] & upper) | (mt[kk + 1] & lower);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? matrixA : 0);
        }
        for (; kk < N - 1; kk++) {
            int y = (mt[kk] & upper) | (mt[kk + 1] & lower);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? matrixA : 0);
        }
        int y = (mt[N - 1] & upper) | (mt[0] & lower);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? matrixA : 0);
        mti = 0;
    }

    /** Uniform double in [0, 1) with 53 random bits (numpy legacy_double / genrand_res53). */
    public double nextDouble() {
        long a = nextUint32() >>> 5, b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** {@code randint(lo, hi)}: an integer in [lo, hi), by masked rejection sampling. */
    public long randint(long lo, long hi) {
        long rng = hi - lo - 1;
        if (rng < 0) throw new IllegalArgumentException("randint: low >= high");
        if (rng == 0) return lo;
        long mask = rng;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        if (rng > 0xFFFF_FFFFL) throw new IllegalArgumentException("randint range above 32 bits is not needed here");
        long v;
        do {
            v = nextUint32() & mask;
        } while (v > rng);
        return lo + v;
    }

    /** {@code randn()}: a standard normal draw (legacy_gauss). */
    public double randn() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1, x2, r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * StrictMath.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }
}
