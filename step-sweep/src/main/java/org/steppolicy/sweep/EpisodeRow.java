package org.steppolicy.sweep;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.eval.EpisodeResult;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.sim.Evaluator;

/**
 * One episode as a task returns it to the driver: step-eval's {@link EpisodeResult} in serialisable primitives (the
 * simulator's record and every policy call's latencies), and which cell and seed block it belongs to.
 */
public record EpisodeRow(int cell, int block, long seed, double score, boolean success, int steps, double finalCoverage,
                         long[] evaluatorNanos, long[] predictorNanos, long[] diffusionNanos, long[] totalNanos,
                         boolean[] coldStart, boolean[] stalled, double[] velocityNorm) implements Serializable {

    static EpisodeRow of(int cell, int block, EpisodeResult r) {
        Evaluator.Episode e = r.episode();
        List<CallLatency> calls = r.calls();
        int n = calls.size();
        long[] pred = new long[n], diff = new long[n], total = new long[n];
        boolean[] cold = new boolean[n], stalled = new boolean[n];
        double[] norm = new double[n];
        for (int i = 0; i < n; i++) {
            CallLatency c = calls.get(i);
            pred[i] = c.predictorNanos();
            diff[i] = c.diffusionNanos();
            total[i] = c.totalNanos();
            cold[i] = c.coldStart();
            stalled[i] = c.stalled();
            norm[i] = c.velocityNorm();
        }
        return new EpisodeRow(cell, block, e.seed(), e.maxReward(), e.success(), e.steps(), e.finalCoverage(),
                e.callLatencyNanos().clone(), pred, diff, total, cold, stalled, norm);
    }

    /** Back to step-eval's record, for {@link org.steppolicy.eval.MethodResult#of}. */
    EpisodeResult result() {
        List<CallLatency> calls = new ArrayList<>(totalNanos.length);
        for (int i = 0; i < totalNanos.length; i++)
            calls.add(new CallLatency(predictorNanos[i], diffusionNanos[i], totalNanos[i], coldStart[i], stalled[i], velocityNorm[i]));
        return new EpisodeResult(new Evaluator.Episode(seed, score, success, steps, finalCoverage, evaluatorNanos.clone()), calls);
    }
}
