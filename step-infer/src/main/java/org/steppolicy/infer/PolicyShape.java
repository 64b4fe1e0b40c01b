package org.steppolicy.infer;

import org.steppolicy.config.SizeLimits;

/**
 * The sizes one control call works with: To observation steps, Ta executed actions, the horizon H, and the raw
 * observation and action dims (docs/reference/diffusion-policy.md §B.1: Push-T low-dim is 2 / 8 / 16 / 20 / 2).
 */
public record PolicyShape(int obsSteps, int actionSteps, int horizon, int obsDim, int actionDim) {
    public PolicyShape {
        if (obsSteps < 1 || actionSteps < 1 || horizon < 1 || obsDim < 1 || actionDim < 1)
            throw new IllegalArgumentException("policy sizes must be positive: To " + obsSteps + ", Ta " + actionSteps + ", H " + horizon
                    + ", obs dim " + obsDim + ", action dim " + actionDim);
        // Upper bounds too: these sizes come from files (policy.json, meta.json) and size every buffer allocated.
        if (obsSteps > MAX_STEPS || actionSteps > MAX_STEPS || horizon > MAX_STEPS || obsDim > MAX_DIM || actionDim > MAX_DIM
                || (long) obsSteps * obsDim > MAX_VALUES || (long) horizon * actionDim > MAX_VALUES)
            throw new IllegalArgumentException("policy sizes beyond what STEP runs (at most " + MAX_STEPS + " steps, dims of "
                    + MAX_DIM + ", " + MAX_VALUES + " values per observation window or chunk): To " + obsSteps + ", Ta " + actionSteps
                    + ", H " + horizon + ", obs dim " + obsDim + ", action dim " + actionDim);
        if (obsSteps - 1 + actionSteps > horizon)
            throw new IllegalArgumentException("To−1+Ta = " + (obsSteps - 1 + actionSteps) + " exceeds the horizon " + horizon);
    }

    /** Far above any policy STEP runs: the sizes every config is checked against (SizeLimits). */
    public static final int MAX_STEPS = SizeLimits.MAX_STEPS, MAX_DIM = SizeLimits.MAX_DIM, MAX_VALUES = SizeLimits.MAX_VALUES;

    public static PolicyShape pushT() {
        return new PolicyShape(2, 8, 16, 20, 2);
    }

    /** First executed chunk index, To−1 (DP's oa_step_convention, §H). */
    public int firstExecuted() { return obsSteps - 1; }

    public int condDim() { return obsSteps * obsDim; }

    public int chunkSize() { return horizon * actionDim; }
}
