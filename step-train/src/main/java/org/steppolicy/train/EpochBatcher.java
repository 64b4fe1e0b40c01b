package org.steppolicy.train;

import java.util.SplittableRandom;

/**
 * Which windows form the batch of a given optimiser step: epochs of a seeded permutation, cut into batches with the
 * last one smaller (the reference's shuffle=True, drop_last=False). A pure function of (seed, step), so a resumed
 * run picks up the sampler exactly where it stopped without saving a position.
 * <p>
 * A remainder of a single window joins the epoch's last full batch instead of forming a batch of one: with batch 1,
 * ND4J M2.1's reduce ops take a shortcut over size-1 axes that fails inside SameDiff (NullPointerException in
 * BaseReduceOp.noOp; seen at the epoch's end of a 68-window run at batch 67).
 */
public final class EpochBatcher {
    private final int windows;
    private final int batchSize;
    private final long seed;
    private final boolean dropLast;
    private long cachedEpoch = -1;
    private int[] order;

    public EpochBatcher(int windows, int batchSize, long seed) {
        this(windows, batchSize, seed, false);
    }

    /** @param dropLast true: every batch is full (graphs with a fixed batch size), the remainder of an epoch unused */
    public EpochBatcher(int windows, int batchSize, long seed, boolean dropLast) {
        if (windows < 1) throw new IllegalArgumentException("no training windows");
        if (dropLast && windows < batchSize)
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds the " + windows + " training windows");
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        this.windows = windows;
        this.batchSize = batchSize;
        this.seed = seed;
        this.dropLast = dropLast;
    }

    public int batchesPerEpoch() {
        if (dropLast || (windows % batchSize == 1 && windows > 1)) return windows / batchSize;
        return (windows + batchSize - 1) / batchSize;
    }

    /** Window indices of step {@code step}'s batch. */
    public int[] batch(long step) {
        long epoch = step / batchesPerEpoch();
        int b = (int) (step % batchesPerEpoch());
        if (epoch != cachedEpoch) {
            order = permutation(epoch);
            cachedEpoch = epoch;
        }
        int from = b * batchSize, to = Math.min(windows, from + batchSize);
        if (!dropLast && b == batchesPerEpoch() - 1 && windows - to == 1) to = windows;   // the single leftover window joins
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
