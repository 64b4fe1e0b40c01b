package org.steppolicy.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A small loss-curve plotter (java.awt, works headless): training loss per step (thin, light), its running mean
 * (solid) and validation loss (dots), on a log10 y axis because diffusion losses fall over decades.
 */
public final class LossPlot {
    private static final int W = 800, H = 480, LEFT = 70, RIGHT = 20, TOP = 30, BOTTOM = 45;
    private static final int SMOOTH = 25;

    private LossPlot() {}

    public static void write(List<MetricsLog.Row> rows, String title, Path png) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            draw(g, rows, title);
        } finally {
            g.dispose();
        }
        Path tmp = png.resolveSibling(png.getFileName() + ".tmp");
        try {
            ImageIO.write(img, "png", tmp.toFile());
            Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);   // a full disk must not leave a .tmp behind
            } catch (IOException again) {
                e.addSuppressed(again);
            }
            throw new UncheckedIOException("cannot write plot " + png + ": " + e.getMessage(), e);
        }
    }

    private static void draw(Graphics2D g, List<MetricsLog.Row> rows, String title) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 18);
        long minStep = Long.MAX_VALUE, maxStep = Long.MIN_VALUE;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (MetricsLog.Row r : rows) {
            minStep = Math.min(minStep, r.step());
            maxStep = Math.max(maxStep, r.step());
            for (double v : new double[] {r.trainLoss(), r.valLoss()})
                if (v > 0 && Double.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        }
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        g.drawRect(LEFT, TOP, pw, ph);
        if (rows.isEmpty() || !(lo < Double.POSITIVE_INFINITY)) {
            g.drawString("no data yet", LEFT + pw / 2 - 30, TOP + ph / 2);
            return;
        }
        double yLo = Math.floor(Math.log10(lo) * 4) / 4, yHi = Math.ceil(Math.log10(hi) * 4) / 4;
        if (yHi - yLo < 0.25) { yLo -= 0.125; yHi += 0.125; }
        long xSpan = Math.max(1, maxStep - minStep);
        Scale sc = new Scale(minStep, xSpan, yLo, yHi - yLo, pw, ph);
        // grid + labels
        g.setColor(new Color(225, 225, 225));
        for (int e = (int) Math.ceil(yLo); e <= Math.floor(yHi); e++) {
            int y = sc.y(Math.pow(10, e));
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString("1e" + e, 8, y + 4);
            g.setColor(new Color(225, 225, 225));
        }
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i <= 4; i++) {
            long s = minStep + xSpan * i / 4;
            String label = Long.toString(s);
            g.drawString(label, tickLabelX(sc.x(s), g.getFontMetrics().stringWidth(label), W), TOP + ph + 16);
        }
        g.drawString("step", LEFT + pw / 2 - 10, H - 8);
        g.drawString(String.format(Locale.ROOT, "%.3g .. %.3g", lo, hi), LEFT + pw - 120, 18);
        // raw train loss, then its running mean
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(160, 190, 230));
        g.draw(polyline(rows, sc, 1));
        g.setStroke(new BasicStroke(2f));
        g.setColor(new Color(30, 80, 170));
        g.draw(polyline(rows, sc, SMOOTH));
        g.setColor(new Color(210, 60, 30));
        for (MetricsLog.Row r : rows)
            if (r.valLoss() > 0 && Double.isFinite(r.valLoss())) g.fillOval(sc.x(r.step()) - 3, sc.y(r.valLoss()) - 3, 7, 7);
        g.setColor(new Color(30, 80, 170));
        g.drawString("train (running mean)", LEFT + 10, TOP + 16);
        g.setColor(new Color(210, 60, 30));
        g.drawString("validation", LEFT + 10, TOP + 32);
    }

    /** A tick label centred under its tick, moved inside the image where it would be cut (68000 read as 6800). */
    static int tickLabelX(int tick, int width, int imageWidth) {
        return Math.max(2, Math.min(tick - width / 2, imageWidth - width - 2));
    }

    private static Path2D polyline(List<MetricsLog.Row> rows, Scale sc, int window) {
        Path2D.Double p = new Path2D.Double();
        double sum = 0;
        boolean started = false;
        for (int i = 0; i < rows.size(); i++) {
            sum += rows.get(i).trainLoss();
            if (i >= window) sum -= rows.get(i - window).trainLoss();
            double mean = sum / Math.min(i + 1, window);
            if (!(mean > 0)) continue;
            double x = sc.x(rows.get(i).step()), y = sc.y(mean);
            if (started) p.lineTo(x, y); else { p.moveTo(x, y); started = true; }
        }
        return p;
    }

    private record Scale(long x0, long xSpan, double y0, double ySpan, int pw, int ph) {
        int x(long step) { return LEFT + (int) Math.round((step - x0) / (double) xSpan * pw); }
        int y(double v) {
            double f = (Math.log10(Math.max(v, 1e-30)) - y0) / ySpan;
            return TOP + ph - (int) Math.round(Math.max(0, Math.min(1, f)) * ph);
        }
    }
}
