package org.steppolicy.infer;

/**
 * The sizes one control call works with: To observation steps, Ta executed actions, the horizon H, and the raw
 * observation and action dims (docs/reference/diffusion-policy.md §B.1: Push-T low-dim is 2 / 8 / 16 / 20 / 2).
 */
public record PolicyShape(int obsSteps, int actionSteps, int horizon, int obsDim, int actionDim) {
    public PolicyShape {
        if (obsSteps < 1 || actionSteps < 1 || horizon < 1 || obsDim < 1 || actionDim < 1)
            throw new IllegalArgumentException("policy sizes must be positive: " + this);
        if (obsSteps - 1 + actionSteps > horizon)
            throw new IllegalArgumentException("To−1+Ta = " + (obsSteps - 1 + actionSteps) + " exceeds the horizon " + horizon);
    }

    public static PolicyShape pushT() {
        return new PolicyShape(2, 8, 16, 20, 2);
    }

    /** First executed chunk index, To−1 (DP's oa_step_convention, §H). */
    public int firstExecuted() { return obsSteps - 1; }

    public int condDim() { return obsSteps * obsDim; }

    public int chunkSize() { return horizon * actionDim; }
}
