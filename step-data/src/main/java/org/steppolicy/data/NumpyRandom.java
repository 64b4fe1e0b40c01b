package org.steppolicy.data;

/**
 * numpy's {@code np.random.default_rng(seed)}: SeedSequence → PCG64 (XSL-RR 128/64), reproduced bit for bit so that the
 * episode split equals Diffusion Policy's {@code get_val_mask}/{@code downsample_mask} (docs/reference/diffusion-policy.md §D.2).
 * Only what those need: {@code random()} (for checking against numpy) and {@code choice(n, k, replace=False)}.
 */
public final class NumpyRandom {
    // numpy/random/bit_generator.pyx (SeedSequence)
    private static final int INIT_A = 0x43b0d7e5, MULT_A = 0x931e8875, INIT_B = 0x8b51f9dd, MULT_B = 0x58f38ded;
    private static final int MIX_MULT_L = 0xca01f9dd, MIX_MULT_R = 0x4973f715;
    private static final int POOL_SIZE = 4;
    // PCG_DEFAULT_MULTIPLIER_128
    private static final long MULT_HI = 0x2360ED051FC65DA4L, MULT_LO = 0x4385DF649FCCF645L;

    private long stateHi, stateLo;
    private final long incHi, incLo;
    private boolean hasUint32;
    private int uinteger;

    public NumpyRandom(long seed) {
        if (seed < 0) throw new IllegalArgumentException("seed must be non-negative: " + seed);
        long[] words = seedSequenceState(seed);           // generate_state(4, uint64)
        long initHi = words[0], initLo = words[1], seqHi = words[2], seqLo = words[3];
        incHi = (seqHi << 1) | (seqLo >>> 63);
        incLo = (seqLo << 1) | 1L;
        stateHi = 0; stateLo = 0;
        step();
        long lo = stateLo + initLo;
        stateHi = stateHi + initHi + (Long.compareUnsigned(lo, stateLo) < 0 ? 1 : 0);
        stateLo = lo;
        step();
    }

    private static int hashmix(int value, int[] hashConst) {
        value ^= hashConst[0];
        hashConst[0] *= MULT_A;
        value *= hashConst[0];
        return value ^ (value >>> 16);
    }

    private static int mix(int x, int y) {
        int r = MIX_MULT_L * x - MIX_MULT_R * y;
        return r ^ (r >>> 16);
    }

    private static long[] seedSequenceState(long seed) {
        // entropy as little-endian uint32 words (numpy's _coerce_to_uint32_array of a Python int)
        int[] entropy = (seed >>> 32) == 0 ? new int[] {(int) seed} : new int[] {(int) seed, (int) (seed >>> 32)};
        int[] pool = new int[POOL_SIZE];
        int[] hc = {INIT_A};
        for (int i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0, hc);
        for (int src = 0; src < POOL_SIZE; src++)
            for (int dst = 0; dst < POOL_SIZE; dst++)
                if (src != dst) pool[dst] = mix(pool[dst], hashmix(pool[src], hc));
        int hashConst = INIT_B;
        int[] words32 = new int[8];
        for (int i = 0; i < words32.length; i++) {
            int v = pool[i % POOL_SIZE];
            v ^= hashConst;
            hashConst *= MULT_B;
            v *= hashConst;
            v ^= v >>> 16;
            words32[i] = v;
        }
        long[] out = new long[4];
        for (int i = 0; i < 4; i++) out[i] = (words32[2 * i] & 0xFFFFFFFFL) | ((long) words32[2 * i + 1] << 32);
        return out;
    }

    private void step() {
        // state = state * MULT + inc  (mod 2^128)
        long lo = stateLo * MULT_LO;
        long hi = unsignedMultiplyHigh(stateLo, MULT_LO) + stateLo * MULT_HI + stateHi * MULT_LO;
        long lo2 = lo + incLo;
        hi = hi + incHi + (Long.compareUnsigned(lo2, lo) < 0 ? 1 : 0);
        stateHi = hi;
        stateLo = lo2;
    }

    private static long unsignedMultiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** One 64-bit PCG64 output. */
    public long nextLong() {
        step();
        return Long.rotateRight(stateHi ^ stateLo, (int) (stateHi >>> 58));
    }

    /** numpy's next_uint32 for PCG64: the low half of a 64-bit draw, the high half buffered for the next call. */
    public int nextInt() {
        if (hasUint32) {
            hasUint32 = false;
            return uinteger;
        }
        long next = nextLong();
        hasUint32 = true;
        uinteger = (int) (next >>> 32);
        return (int) next;
    }

    /** {@code Generator.random()}: a double in [0, 1). */
    public double random() {
        return (nextLong() >>> 11) * (1.0 / 9007199254740992.0);
    }

    /** Lemire's bounded draw in [0, rng] (inclusive), numpy's buffered_bounded_lemire_uint32 without a buffer. */
    private long boundedInclusive(long rng) {
        if (rng == 0) return 0;
        if (rng > 0xFFFFFFFFL) throw new IllegalArgumentException("range too large: " + rng);
        if (rng == 0xFFFFFFFFL) return nextInt() & 0xFFFFFFFFL;
        long rngExcl = rng + 1;
        long m = (nextInt() & 0xFFFFFFFFL) * rngExcl;            // fits: < 2^64 as unsigned
        long leftover = m & 0xFFFFFFFFL;
        if (leftover < rngExcl) {
            long threshold = (0xFFFFFFFFL - rng) % rngExcl;
            while (leftover < threshold) {
                m = (nextInt() & 0xFFFFFFFFL) * rngExcl;
                leftover = m & 0xFFFFFFFFL;
            }
        }
        return m >>> 32;
    }

    /**
     * The set chosen by {@code Generator.choice(n, k, replace=False)} for n ≤ 10000 (Floyd's algorithm, numpy ≥ 1.17),
     * in Floyd's insertion order; numpy shuffles that order afterwards, which changes no membership.
     */
    public int[] choiceWithoutReplacement(int n, int k) {
        if (k < 0 || k > n) throw new IllegalArgumentException("cannot choose " + k + " of " + n);
        if (n > 10000 && k > n / 50) {
            throw new UnsupportedOperationException("numpy uses a tail shuffle for n > 10000 and k > n/50; not reproduced");
        }
        int[] out = new int[k];
        java.util.BitSet chosen = new java.util.BitSet(n);
        for (int j = n - k; j < n; j++) {
            int val = (int) boundedInclusive(j);
            int pick = chosen.get(val) ? j : val;
            chosen.set(pick);
            out[j - (n - k)] = pick;
        }
        return out;
    }
}
