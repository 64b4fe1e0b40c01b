package org.steppolicy.eval;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.LatencySummary;
import org.steppolicy.infer.StallTest;

/**
 * {@code step eval --resume DIR}: what an interrupted evaluation in DIR already has, checked against the request (same
 * config apart from the eval section, same policy, the same episodes from the same seed, its methods a prefix of the
 * request's), and the merge of a partial method with the rest of its episodes. Episodes depend only on their seed, so
 * a resumed method has exactly an uninterrupted run's per-episode scores.
 */
final class EvalResume {
    private EvalResume() {}

    /**
     * The methods DIR's results.json holds (none when it stopped before the first episode); a mismatch with the
     * {@code requested} config (as config.yaml would record it: its eval section names the methods, episodes and seed)
     * or the {@code source} is a UserError.
     */
    static List<MethodResult> check(Path dir, StepConfig requested, EvalReport.Source source) {
        int episodes = requested.eval().episodes();
        long seed = requested.eval().seed();
        String what = "--resume " + dir;
        if (!Files.isDirectory(dir)) throw new UserError(what + ": no such evaluation folder");
        Path yaml = dir.resolve("config.yaml");
        if (!Files.isRegularFile(yaml)) throw new UserError(what + ": no config.yaml, not an evaluation folder");
        if (!requested.task().hasSimulator())
            throw new UserError(what + ": offline evaluations (task " + requested.task().name() + ") are not resumable; run them again");
        StepConfig before;
        try {
            before = ConfigLoader.fromResolvedYaml(Files.readString(yaml), yaml.toString());
        } catch (IOException e) {
            throw new UserError(what + ": cannot read " + yaml + ": " + e.getMessage());
        }
        String diff = firstDifference(before.tree(), requested.tree(), "");
        if (diff != null) throw new UserError(what + ": this request's config differs from " + yaml + " in " + diff);
        if (before.eval().episodes() != episodes)
            throw new UserError(what + ": it ran " + before.eval().episodes() + " episodes per method, this request " + episodes);
        if (before.eval().seed() != seed)
            throw new UserError(what + ": it ran from seed " + before.eval().seed() + ", this request from " + seed);
        Path json = dir.resolve(EvalReport.RESULTS_JSON);
        if (!Files.isRegularFile(json)) return List.of();
        List<EvalReport.Stored> stored = EvalReport.read(json);
        List<String> asked = List.of(requested.eval().methods().split(","));
        List<String> had = stored.stream().map(s -> s.result().method()).toList();
        if (had.size() > asked.size() || !asked.subList(0, had.size()).equals(had))
            throw new UserError(what + ": it evaluated " + String.join(",", had) + ", which does not begin this request's methods "
                    + String.join(",", asked));
        List<MethodResult> out = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            EvalReport.Stored s = stored.get(i);
            MethodResult m = s.result();
            if (s.source() != null && !s.source().equals(source))
                throw new UserError(what + ": it evaluated the policy " + s.source().policy() + " with predictors " + s.source().predictors()
                        + ", this request " + source.policy() + " with " + source.predictors());
            if (m.episodesPlanned() != episodes)
                throw new UserError(what + ": " + m.method() + " was planned with " + m.episodesPlanned() + " episodes, this request " + episodes);
            for (int k = 0; k < m.episodeSeeds().size(); k++)
                if (m.episodeSeeds().get(k) != seed + k)
                    throw new UserError(what + ": " + m.method() + "'s episode seeds are not " + seed + ", " + (seed + 1) + ", ...");
            if (!m.complete() && i < stored.size() - 1)
                throw new UserError(what + ": " + m.method() + " is partial but not the last method of " + json);
            out.add(m);
        }
        return out;
    }

    /** A partial method's first episodes followed by the rest: scores and seeds in seed order, figures over all episodes. */
    static MethodResult merge(MethodResult first, MethodResult rest) {
        List<Double> scores = new ArrayList<>(first.episodeScores());
        scores.addAll(rest.episodeScores());
        List<Long> seeds = new ArrayList<>(first.episodeSeeds());
        seeds.addAll(rest.episodeSeeds());
        List<String> videos = new ArrayList<>(first.videos());
        videos.addAll(rest.videos());
        int n = scores.size();
        double mean = scores.stream().mapToDouble(Double::doubleValue).average().orElse(0);   // as Evaluator.Result.meanScore
        long successes = Math.round(first.successRate() * first.episodes()) + Math.round(rest.successRate() * rest.episodes());
        return new MethodResult(first.method(), first.steps(), n, mean, successes / (double) Math.max(1, n),
                merge(first.latency(), rest.latency()), scores, seeds, videos, merge(first.stallTest(), rest.stallTest()),
                first.episodesPlanned());
    }

    /**
     * Counts add up exactly; the percentiles of the whole are not recoverable from two parts' figures, so each is the
     * parts' call-weighted mean (timings differ from run to run anyway).
     */
    static LatencySummary merge(LatencySummary a, LatencySummary b) {
        if (a.calls() == 0) return b;
        if (b.calls() == 0) return a;
        double wa = a.calls(), wb = b.calls(), w = wa + wb;
        return new LatencySummary(a.calls() + b.calls(), a.coldCalls() + b.coldCalls(), a.stalledCalls() + b.stalledCalls(),
                (a.medianMs() * wa + b.medianMs() * wb) / w, (a.p95Ms() * wa + b.p95Ms() * wb) / w,
                (a.predictorMedianMs() * wa + b.predictorMedianMs() * wb) / w, (a.predictorP95Ms() * wa + b.predictorP95Ms() * wb) / w,
                (a.diffusionMedianMs() * wa + b.diffusionMedianMs() * wb) / w, (a.diffusionP95Ms() * wa + b.diffusionP95Ms() * wb) / w,
                (a.meanAllMs() * wa + b.meanAllMs() * wb) / w);
    }

    static StallTest merge(StallTest a, StallTest b) {
        if (a == null || a.tested() == 0) return b == null ? a : b;
        if (b == null || b.tested() == 0) return a;
        double wa = a.tested(), wb = b.tested(), w = wa + wb;
        return new StallTest(a.tested() + b.tested(), a.fired() + b.fired(), Math.min(a.normMin(), b.normMin()),
                (a.normP05() * wa + b.normP05() * wb) / w, (a.normP50() * wa + b.normP50() * wb) / w, (a.normP95() * wa + b.normP95() * wb) / w);
    }

    /** The first key where the two configs differ outside their eval section ("policy.down_dims"), or null. */
    static String firstDifference(JsonNode a, JsonNode b, String path) {
        if (Objects.equals(a, b)) return null;
        if (a == null || b == null || !a.isObject() || !b.isObject()) return path.isEmpty() ? "its values" : path;
        TreeSet<String> keys = new TreeSet<>();
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) keys.add(it.next());
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) keys.add(it.next());
        for (String k : keys) {
            if (path.isEmpty() && (k.equals("eval") || k.equals("provenance"))) continue;
            String d = firstDifference(a.get(k), b.get(k), path.isEmpty() ? k : path + "." + k);
            if (d != null) return d;
        }
        return null;
    }
}
