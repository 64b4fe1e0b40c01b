package org.steppolicy.train;

import java.util.SplittableRandom;
import org.steppolicy.models.DiffusionSchedule;

/**
 * The forward half of Diffusion Policy's training objective (docs/reference/diffusion-policy.md §B.3, §B.1), done in Java so that
 * every batch's noise and timesteps are reproducible from (seed, step):
 * t ~ U{0..T−1}, ε ~ N(0, I), x_t = √ᾱ_t·x_0 + √(1−ᾱ_t)·ε, target ε.
 * <p>
 * Inpainting: the trajectory is [action, obs] per time step and {@code conditionMask} marks the obs channels of the
 * first To steps; those entries of x_t are overwritten with the clean data and get loss weight 0. The loss then is
 * mean(MSE · ~mask) over all B·T·D elements, masked zeros included in the denominator.
 */
public final class DpNoiser {
    private final DiffusionSchedule schedule;
    private final int horizon;
    private final int dim;
    private final boolean[] conditionMask;
    private final float[] sqrtAcp;
    private final float[] sqrtOneMinusAcp;

    /** @param conditionMask horizon·dim entries, true where the entry is given (clean); null or all false: none */
    public DpNoiser(DiffusionSchedule schedule, int horizon, int dim, boolean[] conditionMask) {
        if (conditionMask != null && conditionMask.length != horizon * dim)
            throw new IllegalArgumentException("condition mask has " + conditionMask.length + " entries, expected " + horizon * dim);
        this.schedule = schedule;
        this.horizon = horizon;
        this.dim = dim;
        this.conditionMask = conditionMask == null ? new boolean[horizon * dim] : conditionMask.clone();
        this.sqrtAcp = new float[schedule.steps()];
        this.sqrtOneMinusAcp = new float[schedule.steps()];
        for (int t = 0; t < schedule.steps(); t++) {
            float acp = schedule.alphaCumprod(t);
            // float32 like torch: sqrt of the float value, correctly rounded.
            sqrtAcp[t] = (float) Math.sqrt(acp);
            sqrtOneMinusAcp[t] = (float) Math.sqrt(1f - acp);
        }
    }

    /** The inpainting condition mask: obs channels (after the Da action channels) of time steps 0..To−1. */
    public static boolean[] inpaintingMask(int horizon, int actionDim, int obsDim, int nObsSteps) {
        int dim = actionDim + obsDim;
        boolean[] mask = new boolean[horizon * dim];
        for (int t = 0; t < Math.min(nObsSteps, horizon); t++)
            for (int c = actionDim; c < dim; c++) mask[t * dim + c] = true;
        return mask;
    }

    public int horizon() { return horizon; }
    public int dim() { return dim; }

    /** Loss weight per (time, channel): 0 where conditioned, 1 elsewhere (the reference's ~mask). */
    public float[] lossWeight() {
        float[] w = new float[horizon * dim];
        for (int i = 0; i < w.length; i++) w[i] = conditionMask[i] ? 0f : 1f;
        return w;
    }

    /**
     * Noises a batch of clean trajectories. Same (seed, step) gives the same t, ε and x_t.
     * @param x0 [batch, horizon, dim] row-major
     * @param xt out, same shape: the network input
     * @param eps out, same shape: the regression target
     * @param timesteps out, one per batch item
     */
    public void noise(float[] x0, int batch, long seed, long step, float[] xt, float[] eps, int[] timesteps) {
        int per = horizon * dim;
        if (x0.length < batch * per || xt.length < batch * per || eps.length < batch * per || timesteps.length < batch)
            throw new IllegalArgumentException("buffers too small for batch " + batch);
        SplittableRandom tRng = StepRandom.of(seed, step, StepRandom.TIMESTEPS);
        SplittableRandom nRng = StepRandom.of(seed, step, StepRandom.NOISE);
        for (int b = 0; b < batch; b++) timesteps[b] = tRng.nextInt(schedule.steps());
        for (int i = 0; i < batch * per; i++) eps[i] = (float) nRng.nextGaussian();
        for (int b = 0; b < batch; b++) {
            float a = sqrtAcp[timesteps[b]], s = sqrtOneMinusAcp[timesteps[b]];
            int off = b * per;
            for (int i = 0; i < per; i++) {
                xt[off + i] = conditionMask[i] ? x0[off + i] : a * x0[off + i] + s * eps[off + i];
            }
        }
    }
}
