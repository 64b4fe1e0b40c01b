package org.steppolicy.eval;

import java.util.List;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.sim.Evaluator;

/**
 * One closed-loop episode as {@link ClosedLoopEvaluation#episodes} returns it: the simulator's record (seed, score,
 * success, steps) with the latency of each policy call of that episode, so that episodes run apart (e.g. as the
 * seed blocks of a sweep) aggregate into the same {@link MethodResult} as one evaluation ({@link MethodResult#of}).
 */
public record EpisodeResult(Evaluator.Episode episode, List<CallLatency> calls) {
    public EpisodeResult {
        calls = List.copyOf(calls);
    }
}
