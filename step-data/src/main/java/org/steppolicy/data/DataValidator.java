package org.steppolicy.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks the low-dim arrays of a dataset before anything is fitted or trained on them: every value must be finite,
 * and values far outside their own dimension's distribution are reported as outliers (a corrupt float such as
 * 3.06e21 among positions in [0, 512] would otherwise set the normaliser's range and train silently).
 *
 * <p>Outlier rule, per key and dimension over all rows of all demos: with the median m and the 1st and 99th
 * percentiles q01, q99, a value x is an outlier when |x − m| > k · s, where s = q99 − q01 (the central 98 % range;
 * when that is 0, s = max(1, |m|)) and k is task.outlier_k (default 10). The percentiles ignore the rarest 1 % at
 * each end, so a handful of corrupt values cannot hide themselves by widening s, and a value shared by at least
 * 1 % of rows is never an outlier (binary grippers and other discrete modes pass).
 */
public final class DataValidator {
    public static final double DEFAULT_K = 10;
    /** Findings kept per kind (all are counted). */
    static final int MAX_KEPT = 1000;

    /** One bad value: where it is (demo, key, row, dimension), what it is, and the range it left. */
    public record Finding(String demo, String key, int row, int dim, float value, String range) {
        public boolean nonFinite() { return !Float.isFinite(value); }

        /** "demo_3 actions row 17 dim 0: 3.06e+21 (median 231, |x - median| > 10 x 412)". */
        public String describe() {
            String v = Float.isNaN(value) ? "NaN" : Float.isInfinite(value) ? (value > 0 ? "+Inf" : "-Inf")
                    : String.format(Locale.ROOT, "%.6g", value);
            return demo + " " + key + " row " + row + " dim " + dim + ": " + v + (range == null ? "" : " (" + range + ")");
        }
    }

    /** Everything found; counts cover all values, the lists at most {@value #MAX_KEPT} each. */
    public record Report(long values, long nonFiniteCount, long outlierCount, List<Finding> nonFinite, List<Finding> outliers, double k) {
        public boolean clean() { return nonFiniteCount == 0 && outlierCount == 0; }

        /** The report's lines (at most {@code max} findings, then a count of the rest). */
        public List<String> lines(int max) {
            List<String> out = new ArrayList<>();
            if (clean()) {
                out.add(String.format(Locale.ROOT, "%,d values checked: all finite, no outliers (|x - median| > %s x (q99 - q01) per dimension)", values, fmt(k)));
                return out;
            }
            out.add(String.format(Locale.ROOT, "%,d values checked: %d non-finite, %d outliers (|x - median| > %s x (q99 - q01) per dimension)",
                    values, nonFiniteCount, outlierCount, fmt(k)));
            List<Finding> all = new ArrayList<>(nonFinite);
            all.addAll(outliers);
            for (Finding f : all.subList(0, Math.min(max, all.size())))
                out.add((f.nonFinite() ? "non-finite " : "outlier ") + f.describe());
            long rest = nonFiniteCount + outlierCount - Math.min(max, all.size());
            if (rest > 0) out.add("... and " + rest + " more");
            return out;
        }
    }

    private record Part(String demo, String key, float[][] rows) {}

    private final double k;
    private final List<Part> added = new ArrayList<>();
    private final Map<String, List<Part>> byKey = new LinkedHashMap<>();

    public DataValidator(double k) {
        if (!(k > 0)) throw new IllegalArgumentException("k must be > 0, got " + k);
        this.k = k;
    }

    /** Adds one demo's rows of one key (n rows × dims); the arrays are read, not copied. */
    public DataValidator add(String demo, String key, float[][] rows) {
        Part p = new Part(demo, key, rows);
        added.add(p);
        byKey.computeIfAbsent(key, x -> new ArrayList<>()).add(p);
        return this;
    }

    public Report report() {
        long values = 0, nonFiniteCount = 0, outlierCount = 0;
        List<Finding> nonFinite = new ArrayList<>(), outliers = new ArrayList<>();
        // Non-finite values in the order they were added (file order), so the first one reported is the first one there.
        for (Part p : added) {
            for (int t = 0; t < p.rows().length; t++) {
                float[] r = p.rows()[t];
                for (int j = 0; j < r.length; j++) {
                    if (Float.isFinite(r[j])) continue;
                    nonFiniteCount++;
                    if (nonFinite.size() < MAX_KEPT) nonFinite.add(new Finding(p.demo(), p.key(), t, j, r[j], null));
                }
            }
        }
        for (Map.Entry<String, List<Part>> e : byKey.entrySet()) {
            String key = e.getKey();
            List<Part> parts = e.getValue();
            int dims = parts.stream().filter(p -> p.rows().length > 0).mapToInt(p -> p.rows()[0].length).findFirst().orElse(0);
            int total = parts.stream().mapToInt(p -> p.rows().length).sum();
            values += (long) total * dims;
            float[] column = new float[total];
            for (int j = 0; j < dims; j++) {
                int n = 0;
                for (Part p : parts) {
                    for (int t = 0; t < p.rows().length; t++) {
                        float v = p.rows()[t][j];
                        if (Float.isFinite(v)) column[n++] = v;
                    }
                }
                if (n == 0) continue;
                Arrays.sort(column, 0, n);
                double median = quantile(column, n, 0.5), q01 = quantile(column, n, 0.01), q99 = quantile(column, n, 0.99);
                double s = q99 - q01 > 0 ? q99 - q01 : Math.max(1, Math.abs(median));
                double limit = k * s;
                // Sorted: only the ends can be outliers, so the scan below runs only when one exists.
                if (Math.abs(column[0] - median) <= limit && Math.abs(column[n - 1] - median) <= limit) continue;
                String range = String.format(Locale.ROOT, "median %.4g, |x - median| > %s x %.4g", median, fmt(k), s);
                for (Part p : parts) {
                    for (int t = 0; t < p.rows().length; t++) {
                        float v = p.rows()[t][j];
                        if (Float.isFinite(v) && Math.abs(v - median) > limit) {
                            outlierCount++;
                            if (outliers.size() < MAX_KEPT) outliers.add(new Finding(p.demo(), key, t, j, v, range));
                        }
                    }
                }
            }
        }
        return new Report(values, nonFiniteCount, outlierCount, List.copyOf(nonFinite), List.copyOf(outliers), k);
    }

    /** Linear interpolation between order statistics (numpy's default). */
    static double quantile(float[] sorted, int n, double q) {
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(n - 1, lo + 1);
        return sorted[lo] + (pos - lo) * ((double) sorted[hi] - sorted[lo]);
    }

    private static String fmt(double k) {
        return k == Math.rint(k) ? String.valueOf((long) k) : String.valueOf(k);
    }
}
