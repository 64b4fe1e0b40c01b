package org.steppolicy.config;

import java.util.List;

/**
 * Optimiser, schedule, EMA and bookkeeping of one training run (docs/reference/diffusion-policy.md B.4).
 * Each field is documented once, in step-base's defaults.yaml (under its snake_case key).
 */
public record TrainingConfig(
        long seed,
        int batchSize,
        double lr,
        List<Double> betas,
        double eps,
        double weightDecay,
        int warmupSteps,
        int numEpochs,
        Integer maxSteps,
        Double maxMinutes,
        boolean emaEnabled,
        double emaPower,
        double emaInvGamma,
        double emaMin,
        double emaMax,
        int emaUpdateAfterStep,
        int valEvery,
        int checkpointEvery,
        int keepLast,
        int logEvery) {

    public double beta1() { return betas.get(0); }
    public double beta2() { return betas.get(1); }
}
