package org.steppolicy.infer;

import java.util.Arrays;
import org.steppolicy.models.DiffusionSchedule;

/**
 * Falcon (arXiv 2503.00339) over a deterministic host solver: one episode's buffer of partially denoised
 * latents and the rule that picks where a call's chain starts (docs/falcon.md). Not thread-safe; cleared by reset.
 *
 * <p>One call, with the host solver's grid g_0 &gt; g_1 &gt; … &gt; g_{K−1} (its timesteps for K steps from noise):
 * <ol>
 *   <li>After a reset (no previous chunk) the chain starts from noise at g_0.</li>
 *   <li>Otherwise u = uniform(); u &lt; δ starts from noise (exploration).</li>
 *   <li>Otherwise the candidates are the stored latents at g_i ≥ k_min (and, with align = shift, stored by the previous
 *       call), in buffer order. With align = shift each is advanced by Ta rows; its last Ta rows become
 *       √ᾱ·P[H−1] + √(1−ᾱ)·z at its own level, P the previous clean trajectory and z fresh draws (row-major, candidate
 *       by candidate). The constraint (inpainting) is applied to each.</li>
 *   <li>One batched model call scores them all at their own timesteps under the current observation; x̂0 is the
 *       one-step clean estimate (clipped as the solver clips). A candidate passes when
 *       ‖x̂0[0..H−Ta−1] − P[Ta..H−1]‖₂ &lt; ε over the action channels.</li>
 *   <li>None pass (or no candidates): noise at g_0. Else one uniform() picks among the passing ones with probability
 *       ∝ exp(−(t/T)/temperature): the first whose running weight exceeds u·Σw.</li>
 *   <li>The host solver runs from the chosen latent at g_i down to the clean sample, its first step reusing the scoring
 *       output (so a reuse from g_i costs 1 + K−1−i evaluations; a start from noise costs K, or K+1 after a failed
 *       scoring).</li>
 *   <li>The chain's latents at g_1 … g_{K−1} (the chosen start included) join the buffer under this call; past
 *       the capacity the oldest call's go first, within a call the noisiest. The clean trajectory becomes P.</li>
 * </ol>
 * Noise draws come from the call's stream (the episode's, in its PlanMemory) in the order written above; a start
 * from noise draws its H·D values last. One sampler per {@link PlanMemory}: its buffer is episode state.
 */
final class FalconSampler {
    /** What one call did (tests and reports). */
    record Call(int startTimestep, boolean fromNoise, boolean explored, int candidates, int passed, int evaluations) {}

    private final FalconConfig cfg;
    private final DiffusionSchedule schedule;
    private final Solver solver;
    private final int[][] chains;     // chains[i] = grid[i..]: the host solver's timesteps from grid index i
    private final int horizon, dim, actionDim, actionSteps, n, trainSteps;
    private final boolean clip, epsilon;

    // the buffer: entries in insertion order (older calls first, each call's noisiest first)
    private final float[][] latent;
    private final int[] level;        // grid index of each entry
    private final long[] callOf;
    private int size;
    private long calls;               // calls since reset
    private boolean hasPrevious;
    private final float[] previous;   // P: the last clean trajectory [H*D]

    // one call's scratch
    private final float[] cand, batchX, batchOut, batchCond, first;
    private final int[] batchT, batchEntry;
    private final double[] weight;
    private final float[][] recorded;
    private final int[] recordedLevel;
    private int recordedCount, chainStart;
    private final Solver.LatentRecorder recorder = this::record;
    // the last call, kept as primitives so that a call allocates nothing
    private boolean called, lastFromNoise, lastExplored;
    private int lastStart, lastCandidates, lastPassed, lastEvaluations;

    FalconSampler(FalconConfig cfg, DiffusionSchedule schedule, Solver solver, int[] grid, PolicyShape shape, int dim,
                  boolean clip, PredictionType prediction) {
        if (solver.kind() != cfg.solver())
            throw new IllegalArgumentException("falcon's solver is " + solver.kind().label() + " but its config says " + cfg.solver().label());
        this.cfg = cfg;
        this.schedule = schedule;
        this.solver = solver;
        this.chains = new int[grid.length][];
        for (int i = 0; i < grid.length; i++) chains[i] = Arrays.copyOfRange(grid, i, grid.length);
        this.horizon = shape.horizon();
        this.dim = dim;
        this.actionDim = shape.actionDim();
        this.actionSteps = shape.actionSteps();
        this.n = horizon * dim;
        this.trainSteps = schedule.steps();
        this.clip = clip;
        this.epsilon = prediction == PredictionType.EPSILON;
        int cap = cfg.buffer();
        this.latent = new float[cap][n];
        this.level = new int[cap];
        this.callOf = new long[cap];
        this.previous = new float[n];
        this.cand = new float[n];
        this.batchX = new float[cap * n];
        this.batchOut = new float[cap * n];
        this.batchCond = new float[cap * shape.condDim()];
        this.first = new float[n];
        this.batchT = new int[cap];
        this.batchEntry = new int[cap];
        this.weight = new double[cap];
        this.recorded = new float[grid.length][n];
        this.recordedLevel = new int[grid.length];
    }

    /** A new episode: no previous chunk, an empty buffer. */
    void reset() {
        size = 0;
        calls = 0;
        hasPrevious = false;
        called = false;
    }

    boolean hasPrevious() { return hasPrevious; }

    /** The last call's report, null since reset. */
    Call last() {
        return called ? new Call(lastStart, lastFromNoise, lastExplored, lastCandidates, lastPassed, lastEvaluations) : null;
    }

    /** Number of latents held. */
    int size() { return size; }

    /**
     * One call: the clean trajectory [H*D] for the normalised observation window cond lands in x.
     */
    void run(Denoiser dp, float[] cond, GaussianNoise noise, SampleConstraint constraint, float[] x) {
        calls++;
        boolean explored = false;
        int candidates = 0, passed = 0, evaluations = 0, start = 0;
        float[] firstOut = null;
        if (hasPrevious) {
            explored = noise.uniform() < cfg.delta();
            if (!explored) {
                candidates = gather(noise, constraint);
                if (candidates > 0) {
                    passed = score(dp, cond, candidates);
                    evaluations++;
                    if (passed > 0) {
                        int b = pick(candidates, noise.uniform());
                        start = level[batchEntry[b]];
                        System.arraycopy(batchX, b * n, x, 0, n);
                        System.arraycopy(batchOut, b * n, first, 0, n);
                        firstOut = first;
                    }
                }
            }
        }
        if (firstOut == null) {
            start = 0;
            noise.fill(x, 0, n);
        }
        int[] chain = chains[start];
        chainStart = start;
        recordedCount = 0;
        solver.run(dp, chain, x, cond, 1, noise, constraint, firstOut, recorder);
        evaluations += chain.length - (firstOut != null ? 1 : 0);
        store();
        System.arraycopy(x, 0, previous, 0, n);
        hasPrevious = true;
        called = true;
        lastStart = chain[0];
        lastFromNoise = firstOut == null;
        lastExplored = explored;
        lastCandidates = candidates;
        lastPassed = passed;
        lastEvaluations = evaluations;
    }

    /** The candidates into batchX (laid over the current chunk), their entries into batchEntry; returns how many. */
    private int gather(GaussianNoise noise, SampleConstraint constraint) {
        int m = 0;
        boolean shift = cfg.align() == FalconConfig.Align.SHIFT;
        for (int e = 0; e < size; e++) {
            int t = chains[level[e]][0];
            if (t < cfg.kMin()) continue;
            if (shift && callOf[e] != calls - 1) continue;
            float[] src = latent[e];
            if (shift) {
                double acp = schedule.alphaCumprod(t);
                double a = Math.sqrt(acp), s = Math.sqrt(1.0 - acp);
                int keep = Math.max(0, horizon - actionSteps);
                System.arraycopy(src, actionSteps * dim, cand, 0, keep * dim);
                for (int h = keep; h < horizon; h++)
                    for (int c = 0; c < dim; c++)
                        cand[h * dim + c] = (float) (a * previous[(horizon - 1) * dim + c] + s * noise.next());
            } else {
                System.arraycopy(src, 0, cand, 0, n);
            }
            constraint.apply(cand);
            System.arraycopy(cand, 0, batchX, m * n, n);
            batchT[m] = t;
            batchEntry[m] = e;
            m++;
        }
        return m;
    }

    /** One batched call; weight[b] = the selection weight of a passing candidate, 0 otherwise. Returns the passing count. */
    private int score(Denoiser dp, float[] cond, int m) {
        int condDim = dp.condDim();
        if (condDim > 0) for (int b = 0; b < m; b++) System.arraycopy(cond, 0, batchCond, b * condDim, condDim);
        dp.predict(batchX, batchT, condDim > 0 ? batchCond : cond, m, batchOut);
        int overlap = Math.max(0, horizon - actionSteps);
        int passed = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < m; b++) {
            double acp = schedule.alphaCumprod(batchT[b]);
            double sa = Math.sqrt(acp), sb = Math.sqrt(1.0 - acp);
            double d2 = 0;
            for (int h = 0; h < overlap; h++)
                for (int c = 0; c < actionDim; c++) {
                    int j = b * n + h * dim + c;
                    double x0 = epsilon ? (batchX[j] - sb * batchOut[j]) / sa : batchOut[j];
                    if (clip) x0 = Math.max(-1.0, Math.min(1.0, x0));
                    double diff = x0 - previous[(h + actionSteps) * dim + c];
                    d2 += diff * diff;
                }
            if (Math.sqrt(d2) < cfg.eps()) {
                weight[b] = -((double) batchT[b] / trainSteps) / cfg.temperature(); // the logit for now
                best = Math.max(best, weight[b]);
                passed++;
            } else {
                weight[b] = Double.NaN;
            }
        }
        for (int b = 0; b < m; b++) weight[b] = Double.isNaN(weight[b]) ? 0.0 : Math.exp(weight[b] - best);
        return passed;
    }

    /** The first passing candidate whose running weight exceeds u·Σw. */
    private int pick(int m, double u) {
        double sum = 0;
        for (int b = 0; b < m; b++) sum += weight[b];
        double target = u * sum, run = 0;
        int lastPassing = -1;
        for (int b = 0; b < m; b++) {
            if (weight[b] == 0) continue;
            lastPassing = b;
            run += weight[b];
            if (run > target) return b;
        }
        return lastPassing;
    }

    private void record(int index, int timestep, float[] x) {
        int g = chainStart + index;
        if (g < 1) return; // the top of the grid: reusing it saves nothing
        System.arraycopy(x, 0, recorded[recordedCount], 0, n);
        recordedLevel[recordedCount++] = g;
    }

    /** This call's latents join the buffer; past the capacity the oldest call's, then the noisiest, are evicted. */
    private void store() {
        for (int r = 0; r < recordedCount; r++) {
            if (size == latent.length) evictOne();
            float[] t = latent[size];
            latent[size] = recorded[r];
            recorded[r] = t;
            level[size] = recordedLevel[r];
            callOf[size] = calls;
            size++;
        }
    }

    private void evictOne() {
        int worst = 0;
        for (int e = 1; e < size; e++) {
            if (callOf[e] < callOf[worst] || (callOf[e] == callOf[worst] && level[e] < level[worst])) worst = e;
        }
        float[] t = latent[worst];
        for (int e = worst; e < size - 1; e++) {
            latent[e] = latent[e + 1];
            level[e] = level[e + 1];
            callOf[e] = callOf[e + 1];
        }
        latent[size - 1] = t;
        size--;
    }
}
