package org.steppolicy.cli.eval;

import java.util.List;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PolicyRunner;

/** step-infer's runner driven by step-sim's evaluator; the two modules stay independent of each other. */
public record RunnerPolicy(PolicyRunner runner) implements ClosedLoopEvaluation.EvalPolicy {
    /** A runner over models opened for this thread alone; closing the policy closes them. */
    static RunnerPolicy open(PolicyModels models, MethodConfig config) {
        return new RunnerPolicy(new PolicyRunner(models, config));
    }

    @Override
    public void reset(long seed) { runner.reset(seed); }

    @Override
    public double[][] act(double[][] obsHistory) { return runner.act(obsHistory); }

    @Override
    public List<CallLatency> latencies() { return runner.latencies(); }

    @Override
    public void close() {
        PolicyModels m = runner.models();
        try {
            m.denoiser().close();
            if (m.predictor() != null) m.predictor().close();
        } catch (Exception e) {
            throw new IllegalStateException("closing a runtime failed", e);
        }
    }
}
