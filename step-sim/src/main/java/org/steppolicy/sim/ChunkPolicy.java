package org.steppolicy.sim;

/**
 * One policy instance per environment thread. obsHistory: To observations (oldest first), each Do raw (unnormalised)
 * values. Returns the Ta actions to execute (raw, world pixels), each double[Da]. reset() is called at the start of
 * every episode.
 */
public interface ChunkPolicy {
    void reset(long seed);

    double[][] act(double[][] obsHistory);
}
