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
import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.StallTest;

/** The evaluation's outputs: a Markdown table, results.json (one object per method) and the score-vs-latency plot. */
public final class EvalReport {
    /** The file every evaluation folder keeps its per-method results in. */
    public static final String RESULTS_JSON = "results.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalReport() {}

    /** The table: one row per method, the mean score with its 95 % bootstrap interval over episodes. */
    public static String markdown(List<MethodResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| method | steps | episodes | mean score [95 % interval] | success | latency p50 (ms) | latency p95 (ms) | predictor p50 (ms) | diffusion p50 (ms) | stalled calls |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        boolean partial = false;
        for (MethodResult r : results) {
            var l = r.latency();
            BootstrapInterval ci = r.scoreInterval();
            partial |= !r.complete();
            String episodes = r.complete() ? String.valueOf(r.episodes()) : r.episodes() + " of " + r.episodesPlanned();
            sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %.3f [%.3f, %.3f] | %.2f | %.2f | %.2f | %.2f | %.2f | %d/%d |%n",
                    r.complete() ? r.method() : r.method() + " (partial)", r.steps(), episodes, r.meanScore(), ci.lo(), ci.hi(), r.successRate(), l.medianMs(), l.p95Ms(),
                    l.predictorMedianMs(), l.diffusionMedianMs(), l.stalledCalls(), l.calls()));
        }
        if (partial) sb.append("\n(partial): the evaluation was interrupted before every episode of this method ran; "
                + "`step eval --resume DIR` runs the rest.\n");
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
    public static String json(List<MethodResult> results, String compare) { return json(results, compare, null); }

    /**
     * As {@link #json(List, String)}; each method also says {@code complete} (every planned episode ran),
     * {@code episodes_planned} and, for an interrupted one, {@code "partial": true}; with a {@code source}, what was
     * evaluated (the DP and predictor checkpoints, or the server), which {@code step eval --resume} checks.
     */
    public static String json(List<MethodResult> results, String compare, Source source) {
        ArrayNode arr = JSON.createArrayNode();
        java.util.Map<String, PairedComparison> pairs = new java.util.HashMap<>();
        if (compare != null) for (PairedComparison p : PairedComparison.against(compare, results)) pairs.put(p.method(), p);
        for (MethodResult r : results) {
            var l = r.latency();
            ObjectNode o = arr.addObject();
            o.put("method", r.method());
            o.put("steps", r.steps());
            o.put("episodes", r.episodes());
            o.put("episodes_planned", r.episodesPlanned());
            o.put("complete", r.complete());
            if (!r.complete()) o.put("partial", true);
            if (source != null) {
                o.put("policy", source.policy());
                ArrayNode preds = o.putArray("predictors");
                source.predictors().forEach(preds::add);
            }
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
        write(results, compare, dir, title, null);
    }

    /**
     * As {@link #write(List, String, Path, String)}, recording the {@code source} (null: none) in results.json; partial
     * methods (an interrupted evaluation) are marked in all three files.
     */
    public static void write(List<MethodResult> results, String compare, Path dir, String title, Source source) {
        boolean partial = results.stream().anyMatch(r -> !r.complete());
        String shown = partial ? title + " (interrupted: partial results)" : title;
        writeAtomically(dir.resolve(RESULTS_JSON), json(results, compare, source));
        writeAtomically(dir.resolve("results.md"), "# " + shown + "\n\n" + markdown(results, compare));
        List<MethodResult> plotted = results.stream().map(r -> r.complete() ? r : new MethodResult(r.method() + " (partial)", r.steps(),
                r.episodes(), r.meanScore(), r.successRate(), r.latency(), r.episodeScores(), r.episodeSeeds(), r.videos(),
                r.stallTest(), r.episodesPlanned())).toList();
        ParetoPlot.write(plotted, shown, dir.resolve("score_vs_latency.png"));
    }

    /** What an evaluation evaluated: the DP checkpoint (or export folder) and predictor checkpoints, as given. */
    public record Source(String policy, List<String> predictors) {
        public Source {
            predictors = List.copyOf(predictors);
        }
    }

    /** One method read back from results.json, with the source it names (null where the file has none). */
    public record Stored(MethodResult result, Source source) {}

    /**
     * Reads a closed-loop results.json back (for {@code step eval --resume}): every method with its figures, per-episode
     * scores and seeds; a file from before {@code episodes_planned} counts its methods complete.
     */
    public static List<Stored> read(Path file) {
        com.fasterxml.jackson.databind.JsonNode arr;
        try {
            arr = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new org.steppolicy.config.UserError(file + ": not a readable results.json (" + e.getMessage() + ")");
        }
        if (arr == null || !arr.isArray()) throw new org.steppolicy.config.UserError(file + ": not an evaluation's results.json (an array of methods)");
        List<Stored> out = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode o : arr) {
            if (!o.hasNonNull("method") || !o.has("episode_scores") || !o.has("episode_seeds"))
                throw new org.steppolicy.config.UserError(file + ": a method without per-episode scores and seeds: not a closed-loop results.json");
            List<Double> scores = new java.util.ArrayList<>();
            o.get("episode_scores").forEach(n -> scores.add(n.asDouble()));
            List<Long> seeds = new java.util.ArrayList<>();
            o.get("episode_seeds").forEach(n -> seeds.add(n.asLong()));
            List<String> videos = new java.util.ArrayList<>();
            if (o.has("videos")) o.get("videos").forEach(n -> videos.add(n.asText()));
            LatencySummary l = new LatencySummary(o.path("calls").asInt(), o.path("cold_start_calls").asInt(), o.path("stalled_calls").asInt(),
                    o.path("latency_ms_median").asDouble(), o.path("latency_ms_p95").asDouble(), o.path("predictor_ms_median").asDouble(),
                    o.path("predictor_ms_p95").asDouble(), o.path("diffusion_ms_median").asDouble(), o.path("diffusion_ms_p95").asDouble(),
                    o.path("latency_ms_mean_all_calls").asDouble());
            StallTest st = null;
            if (o.has("stall_test")) {
                var s = o.get("stall_test");
                st = new StallTest(s.path("tested_calls").asInt(), s.path("fired").asInt(), s.path("norm_min").asDouble(),
                        s.path("norm_p05").asDouble(), s.path("norm_p50").asDouble(), s.path("norm_p95").asDouble());
            }
            int episodes = seeds.size();
            MethodResult r = new MethodResult(o.get("method").asText(), o.path("steps").asInt(), episodes, o.path("mean_score").asDouble(),
                    o.path("success_rate").asDouble(), l, scores, seeds, videos, st, o.path("episodes_planned").asInt(episodes));
            Source src = null;
            if (o.has("policy")) {
                List<String> preds = new java.util.ArrayList<>();
                o.path("predictors").forEach(n -> preds.add(n.asText()));
                src = new Source(o.get("policy").asText(), preds);
            }
            out.add(new Stored(r, src));
        }
        return out;
    }

    /** Writes a text file atomically (a .tmp renamed into place), creating its folder; a failed write leaves no .tmp. */
    public static void writeAtomically(Path file, String text) {
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
