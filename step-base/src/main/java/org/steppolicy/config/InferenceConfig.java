package org.steppolicy.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How a policy call runs: runtime, warm start, cold start, perturbation (docs/reference/step-method.md), and the
 * falcon:K baseline's selection rule (docs/falcon.md).
 * Each field is documented once, in step-base's defaults.yaml (under its snake_case key).
 */
public record InferenceConfig(
        String runtime,
        int threads,
        long seed,
        String warmStartMode,
        double sigma,
        double sigmaT,
        String warmStartSolver,
        String coldStartSolver,
        int coldStartSteps,
        boolean perturbation,
        double epsA,
        double sigmaScale,
        double sigmaStall,
        Boolean clipSample,
        String falconSolver,
        double falconEps,
        double falconDelta,
        double falconTemperature,
        @JsonProperty("falcon_k_min") int falconKMin, // SNAKE_CASE would make it falcon_kmin
        int falconBuffer,
        String falconAlign,
        String bridgerSampler,
        String bridgerTimeGrid) {
}
