package org.steppolicy.infer;

/**
 * What one episode's model calls leave for the next: the last two chunks (the warm start, the STEP predictor's input,
 * the stall test), falcon:K's latent buffer and the episode's noise stream, plus the last call's report. Made by
 * {@link ChunkPlanner#newMemory()} and owned by the episode's owner (StepPolicy), which alone starts an episode
 * ({@link #reset(long)}); the runner reads and writes it during a call and keeps none of it. Not thread-safe.
 */
public final class PlanMemory {
    final ActionCache cache;
    /** falcon:K's sampler, null for the other methods: its latent buffer is episode state and its scratch fills it. */
    final FalconSampler falcon;
    final GaussianNoise noise = new GaussianNoise(0);
    CallLatency last;

    PlanMemory(int chunkSize, FalconSampler falcon) {
        this.cache = new ActionCache(chunkSize);
        this.falcon = falcon;
    }

    /** A new episode: no previous chunk, an empty Falcon buffer, the noise reseeded. */
    public void reset(long seed) {
        noise.reseed(seed);
        reset();
    }

    /** A new episode whose noise goes on where the last one left it. */
    public void reset() {
        cache.clear();
        if (falcon != null) falcon.reset();
    }

    /** Whether a chunk was planned since the last reset (a warm start has something to start from). */
    public boolean hasChunk() { return cache.size() > 0; }

    /** The last chunk planned since the last reset, normalised, [H*Da], copied into out. */
    public void lastChunk(float[] out) {
        float[] c = cache.latest();
        System.arraycopy(c, 0, out, 0, c.length);
    }

    /** Timing and stall test of the last call (null before the first); callers that report every call collect these. */
    public CallLatency lastCall() { return last; }

    /** What falcon:K's last call did (where its chain started, its model evaluations); null for other methods or since reset. */
    FalconSampler.Call lastFalconCall() { return falcon == null ? null : falcon.last(); }
}
