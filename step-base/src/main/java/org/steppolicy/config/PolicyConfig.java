package org.steppolicy.config;

import java.util.List;

/**
 * Diffusion Policy's ConditionalUnet1D and its noise schedule (docs/reference/diffusion-policy.md A.1, B.3).
 * Each field is documented once, in step-base's defaults.yaml (under its snake_case key).
 */
public record PolicyConfig(
        boolean obsAsGlobalCond,
        List<Integer> downDims,
        int kernelSize,
        int nGroups,
        int diffusionStepEmbedDim,
        boolean condPredictScale,
        int numTrainTimesteps,
        String betaSchedule,
        boolean clipSample,
        String predictionType,
        String obsEncoder,
        int obsFeatureDim,
        String imagePool,
        int spatialSoftmaxKeypoints) {
}
