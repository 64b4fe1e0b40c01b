package org.steppolicy.data;

/**
 * The one percentile definition of the project (latencies in eval, bench and the policy's summary): numpy.percentile's
 * default, linear interpolation between order statistics, so reported figures match what a Python reader computes.
 */
public final class Percentile {
    private Percentile() {}

    /** The q-th percentile (0..100) of ascending values; NaN when there are none. */
    public static double ofSorted(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        double pos = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
