package org.steppolicy.train;

/**
 * Normalised training windows of one split: window i has the observation window obs [T, Do], the action window
 * [T, Da] and the genuinely previous chunk [T, Da] (the action window shifted back by Ta, edge-padded at the episode
 * start; docs/reference/step-method.md). The data layer's sampler implements it; tests use synthetic ones.
 */
public interface WindowSource {
    int size();
    int horizon();
    int obsDim();
    int actionDim();

    /** The config's chunk length, which the tasks train with, once checked against these windows' horizon. */
    default int requireHorizon(int configHorizon) {
        if (horizon() != configHorizon)
            throw new IllegalArgumentException("data windows have horizon " + horizon() + ", config " + configHorizon);
        return configHorizon;
    }

    /** Copies window {@code i} into the arrays at the given offsets; {@code prev} may be null when not needed. */
    void window(int i, float[] obs, int obsOffset, float[] action, int actionOffset, float[] prev, int prevOffset);
}
