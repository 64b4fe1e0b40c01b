package org.steppolicy.eval;

import java.util.ArrayList;
import java.util.List;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.policy.StepPolicy;

/**
 * step-infer's policy driven by step-sim's evaluator (the two modules stay independent of each other), keeping the
 * latency of every model call for the report.
 */
public record RunnerPolicy(StepPolicy policy, List<CallLatency> calls) implements ClosedLoopEvaluation.EvalPolicy {
    public RunnerPolicy(StepPolicy policy) {
        this(policy, new ArrayList<>());
    }

    @Override
    public void reset(long seed) { policy.reset(seed); }

    @Override
    public double[][] act(double[][] obsHistory) {
        double[][] actions = policy.predictChunk(obsHistory);
        calls.add(policy.lastLatency());
        return actions;
    }

    @Override
    public List<CallLatency> latencies() { return calls; }

    @Override
    public void close() { policy.close(); }
}
