package org.steppolicy.data;

/**
 * Train/validation episode masks. DP's rules (docs/reference/diffusion-policy.md §D.2): {@code get_val_mask(n, ratio, seed)} then
 * {@code downsample_mask(~val, max_train_episodes, seed)}, both drawing with {@code np.random.default_rng(seed)}.
 */
public record EpisodeSplit(boolean[] train, boolean[] valid, String source) {

    /** Default split settings of DP's low-dim tasks (Push-T and RoboMimic configs: val_ratio 0.02, seed 42). */
    public static final double DEFAULT_VAL_RATIO = 0.02;
    public static final long DEFAULT_SEED = 42;

    public int trainCount() { return count(train); }

    public int validCount() { return count(valid); }

    private static int count(boolean[] m) {
        int c = 0;
        for (boolean b : m) if (b) c++;
        return c;
    }

    /** {@code get_val_mask}: n_val = min(max(1, round(ratio·n)), n−1) episodes drawn without replacement. */
    public static boolean[] valMask(int nEpisodes, double valRatio, long seed) {
        boolean[] mask = new boolean[nEpisodes];
        if (valRatio <= 0 || nEpisodes == 0) return mask;
        // Python's round() rounds half to even, as Math.rint does.
        int nVal = (int) Math.min(Math.max(1, Math.rint(nEpisodes * valRatio)), nEpisodes - 1);
        for (int i : new NumpyRandom(seed).choiceWithoutReplacement(nEpisodes, nVal)) mask[i] = true;
        return mask;
    }

    /** {@code downsample_mask}: keep {@code maxN} of the true entries, drawn without replacement; null keeps all. */
    public static boolean[] downsample(boolean[] mask, Integer maxN, long seed) {
        int[] idx = indices(mask);
        if (maxN == null || idx.length <= maxN) return mask.clone();
        boolean[] out = new boolean[mask.length];
        for (int i : new NumpyRandom(seed).choiceWithoutReplacement(idx.length, maxN)) out[idx[i]] = true;
        return out;
    }

    /** The seeded split of DP, used when the file has no {@code /mask} group. */
    public static EpisodeSplit seeded(int nEpisodes, double valRatio, long seed, Integer maxTrainEpisodes) {
        boolean[] val = valMask(nEpisodes, valRatio, seed);
        boolean[] train = new boolean[nEpisodes];
        for (int i = 0; i < nEpisodes; i++) train[i] = !val[i];
        train = downsample(train, maxTrainEpisodes, seed);
        return new EpisodeSplit(train, val,
                "seeded (val_ratio " + valRatio + ", seed " + seed
                        + (maxTrainEpisodes == null ? "" : ", max_train_episodes " + maxTrainEpisodes) + ")");
    }

    static int[] indices(boolean[] mask) {
        return java.util.stream.IntStream.range(0, mask.length).filter(i -> mask[i]).toArray();
    }
}
