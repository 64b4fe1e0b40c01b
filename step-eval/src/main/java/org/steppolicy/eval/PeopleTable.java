package org.steppolicy.eval;

import java.util.List;
import java.util.Locale;

/**
 * Closed-loop results as a reader wants them at a glance: the methods by their paper names, the score to three
 * decimals with its 95 % bootstrap interval over episodes, success in percent and the median call latency in milliseconds, aligned as plain text. The full figures
 * stay in results.md / results.json.
 */
public final class PeopleTable {
    private PeopleTable() {}

    public static String format(List<MethodResult> results) {
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"method", "mean score [95 % interval]", "success", "latency p50"});
        for (MethodResult r : results)
            rows.add(new String[] {name(r.method()) + "  (" + r.method() + ")", score(r.meanScore()) + " " + interval(r.scoreInterval()),
                    percent(r.successRate()), millis(r.latency().medianMs())});
        int[] width = new int[4];
        for (String[] row : rows) for (int i = 0; i < 4; i++) width[i] = Math.max(width[i], row[i].length());
        StringBuilder sb = new StringBuilder();
        for (String[] row : rows) {
            sb.append("  ").append(pad(row[0], width[0], false));
            for (int i = 1; i < 4; i++) sb.append("   ").append(pad(row[i], width[i], true));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The paper's name of a method label ("step:2" -> "STEP-2"); an unknown label is returned as is. */
    static String name(String label) {
        String[] p = label.split(":");
        String n = p.length > 1 ? "-" + p[1] : "";
        return switch (p[0]) {
            case "ddpm" -> "DDPM" + n;
            case "ddim" -> "DDIM" + n;
            case "dpmsolver" -> "DPM-Solver++" + n;
            case "step" -> "STEP" + n;
            case "spatial" -> "spatial start" + n;
            case "temporal" -> "temporal start" + n;
            case "falcon" -> "Falcon" + n;
            case "predictor" -> "predictor alone";
            default -> label;
        };
    }

    public static String score(double v) { return String.format(Locale.ROOT, "%.3f", v); }

    /** "[0.890, 0.955]". */
    public static String interval(BootstrapInterval ci) { return String.format(Locale.ROOT, "[%.3f, %.3f]", ci.lo(), ci.hi()); }

    public static String percent(double fraction) { return String.format(Locale.ROOT, "%.0f %%", 100 * fraction); }

    public static String millis(double ms) { return String.format(Locale.ROOT, ms < 100 ? "%.1f ms" : "%.0f ms", ms); }

    /** "1 step", "1,250 steps". */
    public static String steps(long n) { return String.format(Locale.ROOT, "%,d step%s", n, n == 1 ? "" : "s"); }

    /** "9.6 min", or seconds under a minute ("40 s"). */
    public static String minutes(double min) {
        return min >= 1 ? String.format(Locale.ROOT, "%.1f min", min) : String.format(Locale.ROOT, "%.0f s", min * 60);
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(w - s.length());
        return right ? fill + s : s + fill;
    }
}
