package org.steppolicy.config;

/**
 * STEP's predictor network (docs/reference/step-method.md); kind "spatial" drops the previous-chunk tokens.
 * Each field is documented once, in step-base's defaults.yaml (under its snake_case key).
 */
public record PredictorConfig(
        String kind,
        int dModel,
        int nHeads,
        int dimFeedforward,
        double dropout,
        int encoderLayers,
        int blocks,
        int imageFeatureDim) {
}
