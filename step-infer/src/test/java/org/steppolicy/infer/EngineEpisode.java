package org.steppolicy.infer;

/**
 * The engine tests' episode: a {@link PolicyRunner} and one {@link PlanMemory}, composed as StepPolicy composes them
 * (without its observation history and action queue, which StepPolicyTest covers).
 */
final class EngineEpisode {
    final PolicyRunner runner;
    final PlanMemory memory;

    EngineEpisode(PolicyRunner runner) {
        this.runner = runner;
        this.memory = runner.newMemory();
    }

    void reset(long seed) { memory.reset(seed); }

    void reset() { memory.reset(); }

    double[][] act(double[][] window) { return runner.plan(window, memory); }

    double[][] act(double[][] window, int executed) { return runner.plan(window, executed, memory); }

    double[][] act(double[][] window, GaussianNoise callNoise) {
        return runner.plan(window, runner.models().shape().actionSteps(), memory, callNoise);
    }

    void lastChunk(float[] out) { memory.lastChunk(out); }

    CallLatency lastLatency() { return memory.lastCall(); }

    FalconSampler.Call lastFalconCall() { return memory.lastFalconCall(); }
}
