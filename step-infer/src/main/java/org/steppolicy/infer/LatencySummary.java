package org.steppolicy.infer;

import java.util.Collection;
import org.steppolicy.data.Percentile;

/**
 * Latency figures of many calls in milliseconds. Median and p95 are over the steady-state calls (cold-start
 * fallbacks left out, counted apart; all calls when every call is cold); meanAllMs amortises the cold starts in.
 * Percentiles are {@link Percentile}'s (numpy's linear).
 */
public record LatencySummary(int calls, int coldCalls, int stalledCalls, double medianMs, double p95Ms,
                             double predictorMedianMs, double predictorP95Ms, double diffusionMedianMs,
                             double diffusionP95Ms, double meanAllMs) {

    public static LatencySummary of(Collection<CallLatency> all) {
        if (all.isEmpty()) return new LatencySummary(0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        int cold = (int) all.stream().filter(CallLatency::coldStart).count();
        int stalled = (int) all.stream().filter(CallLatency::stalled).count();
        Collection<CallLatency> steady = cold < all.size() ? all.stream().filter(c -> !c.coldStart()).toList() : all;
        double[] total = steady.stream().mapToDouble(c -> c.totalNanos() / 1e6).sorted().toArray();
        double[] pred = steady.stream().mapToDouble(c -> c.predictorNanos() / 1e6).sorted().toArray();
        double[] diff = steady.stream().mapToDouble(c -> c.diffusionNanos() / 1e6).sorted().toArray();
        double mean = all.stream().mapToDouble(c -> c.totalNanos() / 1e6).average().orElse(Double.NaN);
        return new LatencySummary(all.size(), cold, stalled, Percentile.ofSorted(total, 50), Percentile.ofSorted(total, 95),
                Percentile.ofSorted(pred, 50), Percentile.ofSorted(pred, 95), Percentile.ofSorted(diff, 50), Percentile.ofSorted(diff, 95), mean);
    }

}
