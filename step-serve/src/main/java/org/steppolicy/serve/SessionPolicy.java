package org.steppolicy.serve;

/** One robot's policy state. Not thread-safe: the server serializes a session's calls. */
public interface SessionPolicy {
    /** The method label this session runs, e.g. "step:2". */
    String method();

    /** A new episode: forgets the previous chunk and the perturbation state, reseeds the noise. */
    void reset(long seed);

    /**
     * One chunk from the last To raw observations (oldest first). The horizon is filled only when asked for; both are
     * raw (unnormalised) actions.
     */
    Chunk predictChunk(double[][] window, boolean fullHorizon);

    /**
     * As {@link #predictChunk(double[][], boolean)}, the newest observation taken {@code executed} control periods
     * after the previous call's (the previous chunk's actions whose time has come): a warm-started policy shifts its
     * previous chunk by that count instead of Ta. A policy without a warm start may ignore it (the default).
     */
    default Chunk predictChunk(double[][] window, int executed, boolean fullHorizon) {
        return predictChunk(window, fullHorizon);
    }

    /** Timing and flags of the last {@link #predictChunk} call. */
    ComputeTime lastLatency();

    /** Frees what the session holds (not the shared models). */
    default void close() {}

    /** The Ta actions to execute, and all H actions of the chunk when asked (else null). */
    record Chunk(double[][] actions, double[][] horizon) {}
}
