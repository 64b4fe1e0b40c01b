package org.steppolicy.infer;

/**
 * The engine tests' episode: a {@link ChunkPlanner} and one {@link PlanMemory}, composed as StepPolicy composes them
 * (without its observation history and action queue, which StepPolicyTest covers).
 */
final class EngineEpisode {
    final ChunkPlanner planner;
    final PlanMemory memory;

    EngineEpisode(ChunkPlanner planner) {
        this.planner = planner;
        this.memory = planner.newMemory();
    }

    void reset(long seed) { memory.reset(seed); }

    void reset() { memory.reset(); }

    double[][] act(double[][] window) { return planner.plan(window, memory); }

    double[][] act(double[][] window, int executed) { return planner.plan(window, executed, memory); }

    double[][] act(double[][] window, GaussianNoise callNoise) {
        return planner.plan(window, planner.models().shape().actionSteps(), memory, callNoise);
    }

    void lastChunk(float[] out) { memory.lastChunk(out); }

    CallLatency lastLatency() { return memory.lastCall(); }

    FalconSampler.Call lastFalconCall() { return memory.lastFalconCall(); }
}
