package org.steppolicy.cli.eval;

import org.steppolicy.infer.PolicyRunner;
import org.steppolicy.sim.ChunkPolicy;

/** step-infer's runner driven by step-sim's evaluator; the two modules stay independent of each other. */
public record RunnerPolicy(PolicyRunner runner) implements ChunkPolicy {
    @Override
    public void reset(long seed) { runner.reset(seed); }

    @Override
    public double[][] act(double[][] obsHistory) { return runner.act(obsHistory); }
}
