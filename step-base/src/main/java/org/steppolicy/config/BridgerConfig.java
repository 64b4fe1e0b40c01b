package org.steppolicy.config;

/**
 * BRIDGeR, the spatial-consistency baseline trained as its own policy family (docs/bridger.md): what training fixes.
 * How bridger:K samples is the inference section's (bridger_sampler, bridger_time_grid).
 * Each field is documented once, in step-data's defaults.yaml (under its snake_case key).
 */
public record BridgerConfig(String source, String interpolant, double noiseScale, int cvaeLatentDim,
                            java.util.List<Integer> cvaeHidden, double cvaeBeta, int sourceSteps) {
    /** Whether train-bridger trains a CVAE source first (bridger.source = cvae). */
    public boolean cvaeSource() {
        return "cvae".equals(source);
    }
}
