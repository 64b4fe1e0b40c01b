package org.steppolicy.config;

/** How a policy call runs: runtime, warm start, cold start, perturbation (docs/reference/step-method.md). */
public record InferenceConfig(
        String runtime,
        int threads,
        long seed,
        String warmStartMode,
        Integer warmStartStep,
        double sigma,
        double sigmaT,
        String warmStartSolver,
        String coldStartSolver,
        int coldStartSteps,
        boolean perturbation,
        double epsA,
        double sigmaScale,
        double sigmaStall,
        Boolean clipSample) {
}
