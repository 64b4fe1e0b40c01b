package org.steppolicy.train;

import java.util.SplittableRandom;

/**
 * Which windows form the batch of a given optimiser step: epochs of a seeded permutation, cut into batches with the
 * last one smaller (the reference's shuffle=True, drop_last=False). A pure function of (seed, step), so a resumed
 * run picks up the sampler exactly where it stopped without saving a position.
 */
public final class EpochBatcher {
    private final int windows;
    private final int batchSize;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] order;

    public EpochBatcher(int windows, int batchSize, long seed) {
        if (windows < 1) throw new IllegalArgumentException("no training windows");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        this.windows = windows;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public int batchesPerEpoch() { return (windows + batchSize - 1) / batchSize; }

    /** Window indices of step {@code step}'s batch. */
    public int[] batch(long step) {
        long epoch = step / batchesPerEpoch();
        int b = (int) (step % batchesPerEpoch());
        if (epoch != cachedEpoch) {
            order = permutation(epoch);
            cachedEpoch = epoch;
        }
        int from = b * batchSize, to = Math.min(windows, from + batchSize);
        int[] idx = new int[to - from];
        System.arraycopy(order, from, idx, 0, idx.length);
        return idx;
    }

    private int[] permutation(long epoch) {
        int[] p = new int[windows];
        for (int i = 0; i < windows; i++) p[i] = i;
        SplittableRandom rng = StepRandom.of(seed, epoch, StepRandom.SHUFFLE);
        for (int i = windows - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }
}
