package org.steppolicy.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A learning curve: mean closed-loop score against optimiser steps, one line per method through its checkpoints,
 * each point with a vertical bar over its 95 % bootstrap interval; the legend names the methods in their colours.
 */
public final class CurvePlot {
    static final int W = 800, H = 520, L = 70, R = 30, T = 50, B = 60;

    private CurvePlot() {}

    public static void write(List<LearningCurve.Point> points, String title, Path png) {
        BufferedImage img = ParetoPlot.blank(W, H);
        Graphics2D g = ParetoPlot.whiteGraphics(img);
        int pw = W - L - R, ph = H - T - B;
        long maxStep = Math.max(1, points.stream().mapToLong(LearningCurve.Point::step).max().orElse(1));
        long tick = tick(maxStep);
        long xMax = (maxStep / tick + 1) * tick;   // a tick past the last point, so it never sits on the frame
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.setColor(new Color(230, 230, 230));
        for (long s = 0; s <= xMax; s += tick) g.drawLine(x(s, xMax), T, x(s, xMax), T + ph);
        for (int i = 0; i <= 10; i += 2) g.drawLine(L, y(i / 10.0), L + pw, y(i / 10.0));
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawRect(L, T, pw, ph);
        for (long s = 0; s <= xMax; s += tick) {
            String label = String.format(Locale.ROOT, "%,d", s);
            g.drawString(label, x(s, xMax) - g.getFontMetrics().stringWidth(label) / 2, T + ph + 20);
        }
        g.drawString("optimiser steps", L + pw / 2 - 45, H - 20);
        ParetoPlot.scoreAxisAndTitle(g, L, T, ph, "mean score (bars: 95 % interval)", title);

        Map<String, List<LearningCurve.Point>> byMethod = byMethod(points);
        int k = 0;
        for (Map.Entry<String, List<LearningCurve.Point>> e : byMethod.entrySet()) {
            Color c = ParetoPlot.PALETTE[k % ParetoPlot.PALETTE.length];
            g.setColor(c);
            int px = -1, py = -1;
            for (LearningCurve.Point p : e.getValue()) {
                BootstrapInterval ci = p.result().scoreInterval();
                int xi = x(p.step(), xMax), yi = y(ci.mean());
                g.setStroke(new BasicStroke(1f));
                if (Double.isFinite(ci.lo()) && Double.isFinite(ci.hi())) g.drawLine(xi, y(ci.lo()), xi, y(ci.hi()));
                g.setStroke(new BasicStroke(2f));
                if (px >= 0) g.drawLine(px, py, xi, yi);
                g.fillOval(xi - 4, yi - 4, 8, 8);
                px = xi;
                py = yi;
            }
            // legend, top left inside the frame, one row per method
            int ly = T + 18 + 18 * k;
            g.fillRect(L + 12, ly - 9, 18, 4);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), L + 36, ly - 2);
            k++;
        }
        g.dispose();
        ParetoPlot.write(img, png);
    }

    /** The points of each method, in the order the methods first appear, each list by step. */
    static Map<String, List<LearningCurve.Point>> byMethod(List<LearningCurve.Point> points) {
        Map<String, List<LearningCurve.Point>> out = new LinkedHashMap<>();
        for (LearningCurve.Point p : points) out.computeIfAbsent(p.result().method(), m -> new ArrayList<>()).add(p);
        out.values().forEach(l -> l.sort((a, b) -> Long.compare(a.step(), b.step())));
        return out;
    }

    /** A round tick spacing (1, 2 or 5 times a power of ten) giving at most about 10 ticks up to {@code max}. */
    static long tick(long max) {
        long p = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) if (max / (m * p) <= 10) return m * p;
            p *= 10;
        }
    }

    static int x(long step, long xMax) {
        return L + (int) Math.round((double) step / xMax * (W - L - R));
    }

    static int y(double score) {
        int ph = H - T - B;
        return T + ph - (int) Math.round(Math.max(0, Math.min(1, score)) * ph);
    }
}
