package org.steppolicy.config;

import java.util.List;

/**
 * The task: dataset, observation keys and sizes, chunking (docs/reference/diffusion-policy.md B.1, B.2, C).
 * Each field is documented once, in step-base's defaults.yaml (under its snake_case key).
 */
public record TaskConfig(
        String name,
        String dataset,
        List<String> obsKeys,
        int obsDim,
        int actionDim,
        int horizon,
        int nObsSteps,
        int nActionSteps,
        String obsNormalizer,
        String actionNormalizer,
        boolean absAction,
        double valRatio,
        long splitSeed,
        boolean useFileMasks,
        Integer maxTrainEpisodes,
        String env,
        int evalMaxSteps,
        String imageKey,
        List<Integer> cropShape,
        String outliers,
        double outlierK) {

    public boolean hasSimulator() { return "pusht".equals(env); }

    /** A visuomotor task: observations carry the frames of {@link #imageKey} besides the low-dim keys. */
    public boolean hasImages() { return imageKey != null && !imageKey.isBlank(); }

    /** task.outliers: refuse to train on data with values far outside their dimension's distribution. */
    public boolean refuseOutliers() { return "refuse".equals(outliers); }
}
