package org.steppolicy.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A mean over episodes with its 95 % percentile-bootstrap interval: {@link #RESAMPLES} resamples of the episodes with
 * replacement, the mean of each, and the 2.5th and 97.5th percentiles of those means (linear interpolation between
 * order statistics, numpy's default). The resampling draws from {@link java.util.Random} seeded with {@link #SEED}, whose
 * sequence the Java specification fixes, so the same scores always print the same interval (scripts/eval_table.py
 * reproduces it in Python). Applied to per-episode differences of two methods run on the same seeds, it is the
 * paired comparison ({@link PairedComparison}).
 */
public record BootstrapInterval(double mean, double lo, double hi) {
    public static final int RESAMPLES = 10_000;
    public static final double LEVEL = 0.95;
    /** The resampling seed: fixed, so that an interval is a function of the scores alone. */
    public static final long SEED = 20_240_607L;

    /** The interval of {@code values}' mean: {@link #RESAMPLES} resamples from {@link #SEED}. */
    public static BootstrapInterval of(List<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray(), RESAMPLES, SEED);
    }

    /**
     * The {@link #LEVEL} interval of {@code values}' mean from {@code resamples} resamples drawn from {@code seed}.
     * No values: NaN throughout; one value: that value, zero width.
     */
    public static BootstrapInterval of(double[] values, int resamples, long seed) {
        if (resamples < 1) throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        int n = values.length;
        if (n == 0) return new BootstrapInterval(Double.NaN, Double.NaN, Double.NaN);
        double sum = 0;
        for (double v : values) sum += v;
        double mean = sum / n;
        Random rng = new Random(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += values[rng.nextInt(n)];
            means[b] = s / n;
        }
        Arrays.sort(means);
        double tail = (1 - LEVEL) / 2;
        return new BootstrapInterval(mean, percentile(means, tail), percentile(means, 1 - tail));
    }

    /** The q-quantile (0..1) of sorted values, interpolating linearly between the two nearest order statistics. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i >= sorted.length - 1) return sorted[sorted.length - 1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }

    /** Whether the whole interval lies on one side of 0 (for a difference: the methods differ at this level). */
    public boolean excludesZero() { return lo > 0 || hi < 0; }

    /** "0.926 [0.890, 0.955]". */
    public String format() { return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", mean, lo, hi); }

    /** With signs, for differences: "+0.120 [+0.050, +0.190]". */
    public String formatSigned() { return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", mean, lo, hi); }
}
