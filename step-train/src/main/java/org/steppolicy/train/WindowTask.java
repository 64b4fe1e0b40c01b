package org.steppolicy.train;

/**
 * A task that trains on normalised windows: the two splits, the normaliser they were made with, and the shape every
 * such task reads off them, checked once here.
 */
abstract class WindowTask implements TrainTask {
    protected final WindowSource train, valid;
    protected final String normalizerJson;
    /** Chunk length (the config's, checked against the windows), observation steps, observation and action dims. */
    protected final int T, To, Do, Da;

    /** @param valid null or empty: no validation loss */
    WindowTask(WindowSource train, WindowSource valid, String normalizerJson, int horizon, int nObsSteps) {
        this.train = train;
        this.valid = valid;
        this.normalizerJson = normalizerJson;
        this.T = train.requireHorizon(horizon);
        this.To = nObsSteps;
        this.Do = train.obsDim();
        this.Da = train.actionDim();
    }

    @Override
    public String normalizerJson() {
        return normalizerJson;
    }
}
