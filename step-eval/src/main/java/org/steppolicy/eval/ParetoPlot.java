package org.steppolicy.eval;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Mean score against median latency per chunk (log scale): the Pareto view of the paper; a vertical bar through each
 * point spans its 95 % bootstrap interval over episodes.
 */
public final class ParetoPlot {
    private static final int W = 800, H = 560, L = 80, R = 30, T = 50, B = 70;

    private ParetoPlot() {}

    public static void write(List<MethodResult> results, String title, Path png) {
        BufferedImage img = blank(W, H);
        Graphics2D g = whiteGraphics(img);
        double[] decades = decades(results);
        double x0 = decades[0], x1 = decades[1];
        int pw = W - L - R, ph = H - T - B;
        g.setColor(new Color(230, 230, 230));
        for (int d = (int) x0; d <= (int) x1; d++) {
            int x = L + (int) Math.round((d - x0) / (x1 - x0) * pw);
            g.drawLine(x, T, x, T + ph);
        }
        for (int i = 0; i <= 10; i += 2) {
            int y = T + ph - (int) Math.round(i / 10.0 * ph);
            g.drawLine(L, y, L + pw, y);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        g.drawRect(L, T, pw, ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int d = (int) x0; d <= (int) x1; d++) {
            int x = L + (int) Math.round((d - x0) / (x1 - x0) * pw);
            String s = d >= 0 ? String.valueOf((long) Math.pow(10, d)) : String.valueOf(Math.pow(10, d));
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, T + ph + 20);
        }
        g.drawString("median latency per action chunk (ms, log scale)", L + pw / 2 - 150, H - 25);
        scoreAxisAndTitle(g, L, T, ph, "mean score", title);
        Color[] palette = PALETTE;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        Layout layout = layout(results, g.getFontMetrics(), x0, x1);
        for (int k = 0; k < layout.points().size(); k++) {
            int i = layout.indices().get(k);
            MethodResult r = results.get(i);
            java.awt.Point p = layout.points().get(k);
            g.setColor(palette[i % palette.length]);
            BootstrapInterval ci = r.scoreInterval();
            if (Double.isFinite(ci.lo()) && Double.isFinite(ci.hi())) {
                int yLo = y(ci.lo()), yHi = y(ci.hi());
                g.drawLine(p.x, yLo, p.x, yHi);
                g.drawLine(p.x - 4, yLo, p.x + 4, yLo);
                g.drawLine(p.x - 4, yHi, p.x + 4, yHi);
            }
            g.fillOval(p.x - 6, p.y - 6, 12, 12);
            LabelLayout.Placed label = layout.labels().get(k);
            java.awt.Rectangle b = label.box();
            if (label.leader()) {
                g.setStroke(new BasicStroke(1f));
                g.drawLine(p.x, p.y, Math.max(b.x, Math.min(p.x, b.x + b.width)), Math.max(b.y, Math.min(p.y, b.y + b.height)));
            }
            g.drawString(r.method(), b.x, b.y + g.getFontMetrics().getAscent());
        }
        g.dispose();
        write(img, png);
    }

    /** The x axis: whole decades of latency around every finite median. */
    static double[] decades(List<MethodResult> results) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (MethodResult r : results) {
            double ms = Math.max(1e-3, r.latency().medianMs());
            if (Double.isFinite(ms)) { lo = Math.min(lo, ms); hi = Math.max(hi, ms); }
        }
        if (!Double.isFinite(lo)) { lo = 1; hi = 10; }
        double x0 = Math.floor(Math.log10(lo));
        return new double[] {x0, Math.max(x0 + 1, Math.ceil(Math.log10(hi)))};
    }

    /** Where each plotted method's point and label go (methods without a finite latency are not plotted). */
    record Layout(List<Integer> indices, List<java.awt.Point> points, List<LabelLayout.Placed> labels) {}

    static Layout layout(List<MethodResult> results, java.awt.FontMetrics fm, double x0, double x1) {
        int pw = W - L - R;
        List<Integer> indices = new java.util.ArrayList<>();
        List<java.awt.Point> points = new java.util.ArrayList<>();
        List<Integer> widths = new java.util.ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            MethodResult r = results.get(i);
            double ms = Math.max(1e-3, r.latency().medianMs());
            if (!Double.isFinite(ms)) continue;
            indices.add(i);
            points.add(new java.awt.Point(L + (int) Math.round((Math.log10(ms) - x0) / (x1 - x0) * pw), y(r.meanScore())));
            widths.add(fm.stringWidth(r.method()));
        }
        List<LabelLayout.Placed> labels = LabelLayout.place(points, widths.stream().mapToInt(Integer::intValue).toArray(),
                fm.getAscent(), new java.awt.Rectangle(L + 1, T + 1, pw - 2, H - T - B - 2));
        return new Layout(indices, points, labels);
    }

    /** The pixel row of a score (clamped to [0, 1]). */
    private static int y(double score) {
        int ph = H - T - B;
        return T + ph - (int) Math.round(Math.max(0, Math.min(1, score)) * ph);
    }

    /** The methods' colours, in order, in every plot of this module. */
    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
            new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)};

    /**
     * A score axis from 0 to 1 (labels every 0.2 left of a plot area at {@code left, top}, {@code height} pixels high),
     * its title written upwards, and the chart's title above: the part every score chart of this module shares.
     */
    static void scoreAxisAndTitle(Graphics2D g, int left, int top, int height, String axisTitle, String title) {
        for (int i = 0; i <= 10; i += 2) {
            int y = top + height - (int) Math.round(i / 10.0 * height);
            String s = String.format(Locale.ROOT, "%.1f", i / 10.0);
            g.drawString(s, left - 10 - g.getFontMetrics().stringWidth(s), y + 5);
        }
        g.rotate(-Math.PI / 2);
        g.drawString(axisTitle, -(top + height / 2 + g.getFontMetrics().stringWidth(axisTitle) / 2), left - 50);
        g.rotate(Math.PI / 2);
        Font plain = g.getFont();
        g.setFont(plain.deriveFont(Font.BOLD, 15f));
        g.drawString(title, left, 30);
        g.setFont(plain);
    }

    /** A blank chart image, RGB, made without a display (headless: servers and CI have none): every plot of this module. */
    static BufferedImage blank(int w, int h) {
        System.setProperty("java.awt.headless", "true");
        return new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    }

    /** The image's graphics, antialiased, with the whole image filled white. */
    static Graphics2D whiteGraphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** Writes a PNG atomically (a .tmp renamed into place), creating its folder: every plot of this module. */
    static void write(BufferedImage img, Path png) {
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            EvalReport.deleteQuietly(tmp, e);
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
