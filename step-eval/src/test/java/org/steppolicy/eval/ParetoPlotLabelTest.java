package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.steppolicy.infer.CallLatency;
import org.steppolicy.infer.LatencySummary;

/** The score-vs-latency plot's labels: each nearer its own point than any other, never on another label or point. */
class ParetoPlotLabelTest {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static FontMetrics metrics() {
        var g = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB).createGraphics();
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        return g.getFontMetrics();
    }

    private static MethodResult result(String method, double score, double latencyMs) {
        long ns = Math.round(latencyMs * 1e6);
        return new MethodResult(method, 2, 1, score, 0, LatencySummary.of(List.of(new CallLatency(ns, 0, ns, false, false))),
                List.of(score), List.of(0L), List.of(), null);
    }

    /** Every label: own point nearest (or a leader line drawn), clear of the other labels and of every point. */
    private static void assertUnambiguous(List<MethodResult> results) {
        double[] d = ParetoPlot.decades(results);
        ParetoPlot.Layout layout = ParetoPlot.layout(results, metrics(), d[0], d[1]);
        assertEquals(results.size(), layout.points().size());
        List<Point> pts = layout.points();
        for (int k = 0; k < pts.size(); k++) {
            Rectangle box = layout.labels().get(k).box();
            String name = results.get(layout.indices().get(k)).method();
            if (!layout.labels().get(k).leader())
                assertTrue(LabelLayout.nearestIsOwn(box, k, pts), name + "'s label at " + box + " is as near another point");
            for (int j = 0; j < pts.size(); j++) {
                Point p = pts.get(j);
                Rectangle marker = new Rectangle(p.x - LabelLayout.MARKER, p.y - LabelLayout.MARKER, 2 * LabelLayout.MARKER, 2 * LabelLayout.MARKER);
                assertFalse(box.intersects(marker), name + "'s label covers point " + j);
                if (j != k) assertFalse(box.intersects(layout.labels().get(j).box()), name + "'s label overlaps another");
            }
        }
    }

    /** The quickstart's shipped-policy case: STEP-2 (0.926) and the temporal start (0.911) a few pixels apart. */
    @Test
    void stepAndTemporalNextToEachOtherKeepTheirOwnLabels() {
        List<MethodResult> r = List.of(result("ddpm:100", 0.996, 520), result("step:2", 0.926, 15.7), result("temporal:2", 0.911, 16.1),
                result("spatial:2", 0.877, 10.9), result("dpmsolver:2", 0.810, 16.0), result("ddim:2", 0.453, 8.3),
                result("predictor", 0.194, 0.85));
        assertUnambiguous(r);
        double[] d = ParetoPlot.decades(r);
        ParetoPlot.Layout layout = ParetoPlot.layout(r, metrics(), d[0], d[1]);
        // The two labels of the close pair are on the sides away from each other (step:2 is the higher point).
        assertTrue(layout.labels().get(1).box().getCenterY() < layout.labels().get(2).box().getCenterY(),
                "step:2's label must not sit below temporal:2's");
    }

    /** The ten methods of the v3 comparison (docs/results), read from its results.json. */
    @Test
    void theComparisonOfTheShippedPolicyIsUnambiguous() throws Exception {
        JsonNode methods = new ObjectMapper().readTree(Path.of("docs/results/pusht-lowdim-v3/claim/seed-100000/results.json").toFile());
        List<MethodResult> r = new ArrayList<>();
        for (JsonNode m : methods) r.add(result(m.get("method").asText(), m.get("mean_score").asDouble(), m.get("latency_ms_median").asDouble()));
        assertEquals(10, r.size());
        assertUnambiguous(r);
    }

    @Test
    void randomCrowdsAreUnambiguous() {
        SplittableRandom rnd = new SplittableRandom(5);
        String[] names = {"ddpm:100", "step:2", "temporal:2", "spatial:2", "dpmsolver:2", "ddim:2", "falcon:2", "predictor", "step:4"};
        for (int trial = 0; trial < 200; trial++) {
            List<MethodResult> r = new ArrayList<>();
            int n = 2 + rnd.nextInt(names.length - 1);
            double cx = 0.3 + 0.6 * rnd.nextDouble(), lat = 5 + 20 * rnd.nextDouble();
            for (int i = 0; i < n; i++)
                r.add(result(names[i], Math.min(1, cx + 0.05 * rnd.nextGaussian()), lat * Math.exp(0.15 * rnd.nextGaussian())));
            assertUnambiguous(r);
        }
    }
}
