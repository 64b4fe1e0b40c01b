package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.LatencySummary;

/** Paired differences over the same seeds, and the table and results.json that carry them. */
class PairedComparisonTest {
    static MethodResult result(String method, long firstSeed, double... scores) {
        List<Double> s = new ArrayList<>();
        for (double x : scores) s.add(x);
        List<Long> seeds = LongStream.range(firstSeed, firstSeed + scores.length).boxed().toList();
        double mean = s.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return new MethodResult(method, 2, scores.length, mean, 0.5,
                LatencySummary.of(List.of(new CallLatency(1_000_000, 2_000_000, 3_000_000, false, false))), s, seeds, List.of(), null);
    }

    static final double[] EPISODES = {0.2, 0.95, 0.6, 1.0, 0.1, 0.75, 0.4, 0.88, 0.3, 0.66};

    @Test
    void identicalMethodsDifferByExactlyZero() {
        PairedComparison p = PairedComparison.of(result("step:2", 100000, EPISODES), result("ddim:2", 100000, EPISODES));
        assertEquals(0.0, p.difference().mean());
        assertEquals(0.0, p.difference().lo());
        assertEquals(0.0, p.difference().hi());
        assertFalse(p.difference().excludesZero());
        assertEquals(10, p.episodes());
    }

    @Test
    void pairingRemovesTheEpisodesOwnSpread() {
        // b is a worse by 0.05 on every episode, give or take 0.01: unpaired, the two intervals overlap widely;
        // paired, the difference is 0.05 within about 0.01 and excludes 0.
        double[] b = new double[EPISODES.length];
        for (int i = 0; i < b.length; i++) b[i] = EPISODES[i] - 0.05 + (i % 2 == 0 ? 0.01 : -0.01);
        MethodResult ra = result("step:2", 100000, EPISODES), rb = result("ddim:2", 100000, b);
        assertTrue(rb.scoreInterval().hi() > ra.scoreInterval().lo(), "the unpaired intervals overlap");
        BootstrapInterval d = PairedComparison.of(ra, rb).difference();
        assertEquals(0.05, d.mean(), 1e-12);
        assertTrue(d.lo() >= 0.04 - 1e-12 && d.hi() <= 0.06 + 1e-12, d.toString());
        assertTrue(d.excludesZero());
        // the other way round: the same interval, negated
        BootstrapInterval back = PairedComparison.of(rb, ra).difference();
        assertEquals(-0.05, back.mean(), 1e-12);
        assertTrue(back.excludesZero() && back.hi() < 0);
    }

    @Test
    void differentSeedsAreNotPaired() {
        assertThrows(IllegalArgumentException.class,
                () -> PairedComparison.of(result("step:2", 100000, EPISODES), result("ddim:2", 200000, EPISODES)));
    }

    @Test
    void theReferenceIsComparedWithEveryOtherMethodInOrder() {
        List<MethodResult> rs = List.of(result("ddim:2", 7, 0.1, 0.2, 0.3), result("step:2", 7, 0.5, 0.6, 0.7), result("temporal:2", 7, 0.5, 0.6, 0.7));
        List<PairedComparison> ps = PairedComparison.against("step:2", rs);
        assertEquals(List.of("ddim:2", "temporal:2"), ps.stream().map(PairedComparison::method).toList());
        assertEquals(0.4, ps.get(0).difference().mean(), 1e-12);
        assertTrue(PairedComparison.against("ddpm:100", rs).isEmpty());
    }

    @Test
    void tableAndResultsJsonCarryIntervalsSeedsAndDifferences(@TempDir Path dir) throws Exception {
        double[] worse = new double[EPISODES.length];
        for (int i = 0; i < worse.length; i++) worse[i] = EPISODES[i] - 0.2;
        List<MethodResult> rs = List.of(result("step:2", 100000, EPISODES), result("ddim:2", 100000, worse),
                result("temporal:2", 100000, EPISODES));
        EvalReport.write(rs, "step:2", dir, "test");

        String md = Files.readString(dir.resolve("results.md"));
        BootstrapInterval ci = rs.get(0).scoreInterval();
        assertTrue(md.contains("mean score [95 % interval]"), md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| step:2 | 2 | 10 | %.3f [%.3f, %.3f] |", rs.get(0).meanScore(), ci.lo(), ci.hi())), md);
        assertTrue(md.contains("| step:2 - ddim:2 | +0.200 [+0.200, +0.200] | yes * |"), md);
        assertTrue(md.contains("| step:2 - temporal:2 | +0.000 [+0.000, +0.000] | no |"), md);
        assertFalse(EvalReport.markdown(rs).contains("Paired differences"));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(3, json.size());
        JsonNode step = json.get(0), ddim = json.get(1);
        assertEquals(ci.lo(), step.get("mean_score_ci95_low").asDouble());
        assertEquals(ci.hi(), step.get("mean_score_ci95_high").asDouble());
        assertEquals(10_000, step.get("bootstrap_resamples").asInt());
        assertEquals(10, step.get("episode_scores").size());
        assertEquals(100000, step.get("episode_seeds").get(0).asLong());
        assertEquals(100009, step.get("episode_seeds").get(9).asLong());
        assertFalse(step.has("paired_difference"), "the reference has no difference with itself");
        JsonNode d = ddim.get("paired_difference");
        assertEquals("step:2", d.get("reference").asText());
        assertEquals(0.2, d.get("difference").asDouble(), 1e-12);
        assertEquals(0.2, d.get("ci95_low").asDouble(), 1e-12);
        assertTrue(d.get("excludes_zero").asBoolean());
        assertFalse(json.get(2).get("paired_difference").get("excludes_zero").asBoolean());
    }
}
