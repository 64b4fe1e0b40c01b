package org.steppolicy.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * DP's sequence sampler (docs/reference/diffusion-policy.md §D.2): every window of {@code horizon} steps that starts between
 * {@code −padBefore} and {@code n − horizon + padAfter} of an episode, with padBefore = To−1 and padAfter = Ta−1;
 * steps outside the episode repeat its first or last frame (edge padding), so an episode yields
 * {@code n − horizon + padBefore + padAfter + 1} windows (Push-T: n − 7).
 *
 * <p>For STEP's predictor each window can also carry the previous action chunk (docs/reference/step-method.md, "Target leak"): the
 * window that starts Ta steps earlier, edge-padded at the episode start. That is what the action cache holds at
 * inference: the previous call's 16-step output, begun Ta env steps before the current window. It never reaches past
 * step {@code start + horizon − Ta − 1} of the current window.
 *
 * <p>Data is normalised once at construction when a normaliser is given. Batches are filled into reusable arrays.
 */
public final class SequenceSampler {
    /** A window: its episode (index into the sampler's episode list) and first step (negative when padded). */
    public record Window(int episode, int start) { }

    private final int horizon, nObsSteps, nActionSteps, padBefore, padAfter, obsDim, actionDim;
    private final float[][] obs;      // per episode, row-major (n, obsDim)
    private final float[][] actions;  // per episode, row-major (n, actionDim)
    private final int[] lengths;
    private final int[] winEpisode, winStart;

    public SequenceSampler(List<Episode> episodes, int horizon, int nObsSteps, int nActionSteps,
                           DatasetNormalizer normalizer) {
        if (episodes.isEmpty()) throw new IllegalArgumentException("no episodes to sample from");
        if (horizon < 1 || nObsSteps < 1 || nActionSteps < 1 || nObsSteps > horizon || nActionSteps > horizon) {
            throw new IllegalArgumentException("need 1 <= To, Ta <= horizon: horizon " + horizon + ", To " + nObsSteps
                    + ", Ta " + nActionSteps);
        }
        this.horizon = horizon;
        this.nObsSteps = nObsSteps;
        this.nActionSteps = nActionSteps;
        // create_indices clips both pads to [0, horizon − 1]
        this.padBefore = Math.min(Math.max(nObsSteps - 1, 0), horizon - 1);
        this.padAfter = Math.min(Math.max(nActionSteps - 1, 0), horizon - 1);
        this.obsDim = episodes.get(0).obsDim();
        this.actionDim = episodes.get(0).actionDim();
        int ne = episodes.size();
        obs = new float[ne][];
        actions = new float[ne][];
        lengths = new int[ne];
        int total = 0;
        for (int e = 0; e < ne; e++) {
            Episode ep = episodes.get(e);
            if (ep.obsDim() != obsDim || ep.actionDim() != actionDim) {
                throw new IllegalArgumentException(ep.name() + ": dims differ from " + episodes.get(0).name());
            }
            lengths[e] = ep.length();
            obs[e] = flatten(ep.obs(), obsDim);
            actions[e] = flatten(ep.actions(), actionDim);
            if (normalizer != null) {
                normalizer.obs().normalize(obs[e]);
                normalizer.action().normalize(actions[e]);
            }
            total += windowsPerEpisode(lengths[e]);
        }
        winEpisode = new int[total];
        winStart = new int[total];
        int w = 0;
        for (int e = 0; e < ne; e++) {
            for (int start = -padBefore; start < lengths[e] - horizon + padAfter + 1; start++) {
                winEpisode[w] = e;
                winStart[w] = start;
                w++;
            }
        }
    }

    private static float[] flatten(float[][] rows, int d) {
        float[] out = new float[rows.length * d];
        for (int t = 0; t < rows.length; t++) System.arraycopy(rows[t], 0, out, t * d, d);
        return out;
    }

    /** Windows contributed by an episode of n steps. */
    public int windowsPerEpisode(int n) {
        return Math.max(0, n - horizon + padAfter + padBefore + 1);
    }

    public int size() { return winEpisode.length; }

    public Window window(int i) { return new Window(winEpisode[i], winStart[i]); }

    public int horizon() { return horizon; }

    public int nObsSteps() { return nObsSteps; }

    public int nActionSteps() { return nActionSteps; }

    public int obsDim() { return obsDim; }

    public int actionDim() { return actionDim; }

    private static int clamp(int t, int n) { return t < 0 ? 0 : Math.min(t, n - 1); }

    /** Copies {@code rows} edge-padded steps of an episode's field, from step {@code start}, into out[off..]. */
    private static void copyRows(float[] src, int n, int d, int start, int rows, float[] out, int off) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, clamp(start + r, n) * d, out, off + r * d, d);
    }

    /**
     * Fills one window: the first {@code obsRows} obs steps (To for global conditioning, horizon for inpainting), the
     * horizon action steps, and, when {@code prev} is not null, the previous action chunk (horizon steps from
     * start − Ta).
     */
    public void fill(int window, float[] obsOut, int obsOff, int obsRows, float[] actOut, int actOff,
                     float[] prevOut, int prevOff) {
        int e = winEpisode[window], start = winStart[window], n = lengths[e];
        if (obsOut != null) copyRows(obs[e], n, obsDim, start, obsRows, obsOut, obsOff);
        if (actOut != null) copyRows(actions[e], n, actionDim, start, horizon, actOut, actOff);
        if (prevOut != null) copyRows(actions[e], n, actionDim, start - nActionSteps, horizon, prevOut, prevOff);
    }

    /** Reusable batch arrays, row-major: obs [B, obsRows, Do], action [B, horizon, Da], prev [B, horizon, Da]. */
    public final class Batch {
        public final int capacity, obsRows;
        public final float[] obs, action, prevAction;
        /** Sampler window index of each item. */
        public final int[] windows;
        /** Items filled by the last call (the last batch of an epoch can be short). */
        public int size;

        private Batch(int capacity, int obsRows, boolean withPrev) {
            if (obsRows < 1 || obsRows > horizon) throw new IllegalArgumentException("obsRows must be in 1.." + horizon);
            this.capacity = capacity;
            this.obsRows = obsRows;
            obs = new float[capacity * obsRows * obsDim];
            action = new float[capacity * horizon * actionDim];
            prevAction = withPrev ? new float[capacity * horizon * actionDim] : null;
            windows = new int[capacity];
        }

        void fill(int[] order, int from, int count) {
            size = count;
            for (int b = 0; b < count; b++) {
                int w = order[from + b];
                windows[b] = w;
                SequenceSampler.this.fill(w, obs, b * obsRows * obsDim, obsRows, action, b * horizon * actionDim,
                        prevAction, b * horizon * actionDim);
            }
        }
    }

    public Batch newBatch(int capacity, int obsRows, boolean withPreviousChunk) {
        return new Batch(capacity, obsRows, withPreviousChunk);
    }

    /** One pass over all windows, shuffled with the seed (Fisher–Yates) or in order when not shuffled. */
    public final class Epoch {
        private final int[] order;
        private final boolean dropLast;
        private int pos;

        private Epoch(long seed, boolean shuffle, boolean dropLast) {
            order = new int[size()];
            for (int i = 0; i < order.length; i++) order[i] = i;
            if (shuffle) {
                SplittableRandom rng = new SplittableRandom(seed);
                for (int i = order.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            this.dropLast = dropLast;
        }

        /** Fills the next batch; false when the epoch is over. */
        public boolean next(Batch batch) {
            int left = order.length - pos;
            if (left <= 0 || (dropLast && left < batch.capacity)) return false;
            int count = Math.min(batch.capacity, left);
            batch.fill(order, pos, count);
            pos += count;
            return true;
        }

        int[] order() { return order; }
    }

    /** A new epoch; DP's loader shuffles and keeps the last short batch (drop_last false). */
    public Epoch epoch(long seed, boolean shuffle, boolean dropLast) {
        return new Epoch(seed, shuffle, dropLast);
    }
}
