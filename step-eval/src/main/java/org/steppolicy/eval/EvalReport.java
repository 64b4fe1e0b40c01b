package org.steppolicy.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/** The evaluation's outputs: a Markdown table, results.json (one object per method) and the score-vs-latency plot. */
public final class EvalReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalReport() {}

    /** The table: one row per method, the mean score with its 95 % bootstrap interval over episodes. */
    public static String markdown(List<MethodResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| method | steps | episodes | mean score [95 % interval] | success | latency p50 (ms) | latency p95 (ms) | predictor p50 (ms) | diffusion p50 (ms) | stalled calls |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (MethodResult r : results) {
            var l = r.latency();
            BootstrapInterval ci = r.scoreInterval();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.3f [%.3f, %.3f] | %.2f | %.2f | %.2f | %.2f | %.2f | %d/%d |%n",
                    r.method(), r.steps(), r.episodes(), r.meanScore(), ci.lo(), ci.hi(), r.successRate(), l.medianMs(), l.p95Ms(),
                    l.predictorMedianMs(), l.diffusionMedianMs(), l.stalledCalls(), l.calls()));
        }
        return sb.toString();
    }

    /** The table, then (with a {@code compare} method among the results) the paired differences against it. */
    public static String markdown(List<MethodResult> results, String compare) {
        String table = markdown(results);
        if (compare == null) return table;
        String pairs = PairedComparison.markdown(PairedComparison.against(compare, results));
        return pairs.isEmpty() ? table : table + "\n" + pairs;
    }

    public static String json(List<MethodResult> results) { return json(results, null); }

    /**
     * One object per method (an array, as before the intervals): its figures, the mean score's 95 % bootstrap interval,
     * its per-episode scores and seeds, and, with a {@code compare} method among the results, for every other method
     * the paired difference {@code compare − method} with its interval.
     */
    public static String json(List<MethodResult> results, String compare) {
        ArrayNode arr = JSON.createArrayNode();
        java.util.Map<String, PairedComparison> pairs = new java.util.HashMap<>();
        if (compare != null) for (PairedComparison p : PairedComparison.against(compare, results)) pairs.put(p.method(), p);
        for (MethodResult r : results) {
            var l = r.latency();
            ObjectNode o = arr.addObject();
            o.put("method", r.method());
            o.put("steps", r.steps());
            o.put("episodes", r.episodes());
            o.put("mean_score", r.meanScore());
            BootstrapInterval ci = r.scoreInterval();
            o.put("mean_score_ci95_low", ci.lo());
            o.put("mean_score_ci95_high", ci.hi());
            o.put("bootstrap_resamples", BootstrapInterval.RESAMPLES);
            o.put("bootstrap_seed", BootstrapInterval.SEED);
            o.put("success_rate", r.successRate());
            o.put("latency_ms_median", l.medianMs());
            o.put("latency_ms_p95", l.p95Ms());
            o.put("predictor_ms_median", l.predictorMedianMs());
            o.put("predictor_ms_p95", l.predictorP95Ms());
            o.put("diffusion_ms_median", l.diffusionMedianMs());
            o.put("diffusion_ms_p95", l.diffusionP95Ms());
            o.put("latency_ms_mean_all_calls", l.meanAllMs());
            o.put("calls", l.calls());
            o.put("cold_start_calls", l.coldCalls());
            o.put("stalled_calls", l.stalledCalls());
            var st = r.stallTest();
            if (st != null) {
                // ‖ΔA‖ of the calls the velocity-aware stall test ran on (fires below perturbation.eps_a)
                ObjectNode s = o.putObject("stall_test");
                s.put("tested_calls", st.tested());
                s.put("fired", st.fired());
                s.put("norm_min", st.normMin());
                s.put("norm_p05", st.normP05());
                s.put("norm_p50", st.normP50());
                s.put("norm_p95", st.normP95());
            }
            ArrayNode scores = o.putArray("episode_scores");
            r.episodeScores().forEach(scores::add);
            ArrayNode seeds = o.putArray("episode_seeds");
            r.episodeSeeds().forEach(seeds::add);
            PairedComparison p = pairs.get(r.method());
            if (p != null) {
                ObjectNode d = o.putObject("paired_difference");
                d.put("reference", p.reference());
                d.put("episodes", p.episodes());
                d.put("difference", p.difference().mean());
                d.put("ci95_low", p.difference().lo());
                d.put("ci95_high", p.difference().hi());
                d.put("excludes_zero", p.difference().excludesZero());
            }
            ArrayNode videos = o.putArray("videos");
            r.videos().forEach(videos::add);
        }
        try {
            return JSON.writeValueAsString(arr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes results.json, results.md and score_vs_latency.png into dir (each atomically). */
    public static void write(List<MethodResult> results, Path dir, String title) { write(results, null, dir, title); }

    /** As {@link #write(List, Path, String)}, with the paired differences against {@code compare} (null: none). */
    public static void write(List<MethodResult> results, String compare, Path dir, String title) {
        writeAtomically(dir.resolve("results.json"), json(results, compare));
        writeAtomically(dir.resolve("results.md"), "# " + title + "\n\n" + markdown(results, compare));
        ParetoPlot.write(results, title, dir.resolve("score_vs_latency.png"));
    }

    static void writeAtomically(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp, e);   // a full disk must not leave a .tmp behind
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Cleans up after {@code failure}; what cannot be deleted either is noted on it, not thrown instead. */
    static void deleteQuietly(Path f, Exception failure) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
