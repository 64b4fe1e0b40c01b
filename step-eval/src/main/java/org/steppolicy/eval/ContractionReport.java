package org.steppolicy.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.steppolicy.eval.ContractionAnalysis.Result;
import org.steppolicy.eval.ContractionAnalysis.StartResult;

/** The contraction measurement as a table (console and contraction.md), contraction.json and contraction.png. */
public final class ContractionReport {
    public static final String JSON = "contraction.json", MARKDOWN = "contraction.md", PLOT = "contraction.png";

    private ContractionReport() {}

    /** Median [q1, q3] of the finite values. */
    static String mq(double[] v) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", ContractionAnalysis.quantile(v, 0.5),
                ContractionAnalysis.quantile(v, 0.25), ContractionAnalysis.quantile(v, 0.75));
    }

    /** The table: one row per start, medians with quartiles over the windows. */
    public static String table(Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Distance to the DDPM-100 sample drawn with the same noise (RMS, normalised action units), "
                + "%d held-out windows, warm starts enter at t = %d; median [q1, q3]%n%n", r.windows(), r.entryStep()));
        b.append("| start | estimate Â | after STEP-2's chain (t = ").append(r.entryStep()).append(", 0) | after single DDIM steps to 0 "
                + "| contraction, 2-step chain | contraction, single steps |\n|---|---|---|---|---|---|\n");
        for (StartResult s : r.starts()) {
            boolean noise = s.start() == ContractionAnalysis.Start.NOISE;
            b.append("| ").append(s.start().description).append(noise ? " (DDIM-2 at t = 50, 0; 100 single steps)" : "").append(" | ")
                    .append(noise ? "–" : mq(s.estimateDistance())).append(" | ").append(mq(s.twoStepDistance())).append(" | ")
                    .append(mq(last(s.distanceByStep()))).append(" | ").append(mq(s.twoStepContraction())).append(" | ")
                    .append(mq(s.chainContraction())).append(" |\n");
        }
        b.append(String.format(Locale.ROOT, "%nContraction: ‖f(x + δu) − f(x)‖ / δ for a random unit direction u, δ = %s, "
                + "through the chain from the start to the clean chunk.%n", r.delta()));
        return b.toString();
    }

    private static double[] last(double[][] byStep) { return byStep[byStep.length - 1]; }

    public static void write(Result r, String provenance, Path dir) {
        try {
            Files.writeString(dir.resolve(MARKDOWN), "# Contraction of the reverse process\n\nPolicy: " + provenance + "\n\n" + table(r));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("policy", provenance);
            json.put("windows", r.windows());
            json.put("entry_timestep", r.entryStep());
            json.put("delta", r.delta());
            List<Map<String, Object>> starts = new java.util.ArrayList<>();
            for (StartResult s : r.starts()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("start", s.start().label());
                m.put("description", s.start().description);
                m.put("timesteps", s.timesteps());
                double[][] q = new double[3][s.timesteps().length];
                for (int j = 0; j < s.timesteps().length; j++)
                    for (int k = 0; k < 3; k++) q[k][j] = ContractionAnalysis.quantile(s.distanceByStep()[j], 0.25 * (k + 1));
                m.put("distance_q1", q[0]);
                m.put("distance_median", q[1]);
                m.put("distance_q3", q[2]);
                m.put("estimate_distance", finite(s.estimateDistance()));
                m.put("two_step_distance", s.twoStepDistance());
                m.put("two_step_contraction", s.twoStepContraction());
                m.put("chain_contraction", s.chainContraction());
                starts.add(m);
            }
            json.put("starts", starts);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(JSON).toFile(), json);
            plot(r, provenance, dir.resolve(PLOT));
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    private static double[] finite(double[] v) {
        return java.util.Arrays.stream(v).filter(Double::isFinite).toArray();
    }

    private static final int W = 860, H = 560, L = 80, R = 230, T = 50, B = 70;

    /** Distance of x̂0 to the reference against the timestep (descending, left to right): median line, quartile band. */
    static void plot(Result r, String provenance, Path png) {
        BufferedImage img = ParetoPlot.blank(W, H);
        Graphics2D g = ParetoPlot.whiteGraphics(img);
        int tMax = 0;
        double yMax = 0;
        for (StartResult s : r.starts()) {
            tMax = Math.max(tMax, s.timesteps()[0]);
            for (double[] d : s.distanceByStep()) yMax = Math.max(yMax, ContractionAnalysis.quantile(d, 0.75));
        }
        yMax = niceCeil(yMax);
        int pw = W - L - R, ph = H - T - B;
        final int tTop = tMax;
        final double yTop = yMax;
        java.util.function.IntUnaryOperator px = t -> L + (int) Math.round((tTop - t) / (double) tTop * pw);
        java.util.function.DoubleToIntFunction py = v -> T + ph - (int) Math.round(Math.min(v, yTop) / yTop * ph);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            int y = py.applyAsInt(v);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(L, y, L + pw, y);
            g.setColor(Color.BLACK);
            String s = String.format(Locale.ROOT, "%.2f", v);
            g.drawString(s, L - 8 - g.getFontMetrics().stringWidth(s), y + 5);
        }
        for (int t = tMax; t >= 0; t -= tMax >= 50 ? 10 : 5) {
            int x = px.applyAsInt(t);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(x, T, x, T + ph);
            g.setColor(Color.BLACK);
            String s = String.valueOf(t);
            g.drawString(s, x - g.getFontMetrics().stringWidth(s) / 2, T + ph + 20);
        }
        g.setStroke(new BasicStroke(1.5f));
        g.drawRect(L, T, pw, ph);
        g.drawString("diffusion timestep t (the reverse process runs left to right)", L + pw / 2 - 190, H - 25);
        g.rotate(-Math.PI / 2);
        g.drawString("RMS distance of x̂0 to the DDPM-100 sample", -(T + ph / 2 + 140), 22);
        g.rotate(Math.PI / 2);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("Contraction towards the DDPM-100 sample (" + r.windows() + " windows, median and quartiles)", L, 30);
        Color[] palette = {new Color(214, 39, 40), new Color(31, 119, 180), new Color(44, 160, 44), new Color(127, 127, 127)};
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int legendY = T + 10;
        for (int k = 0; k < r.starts().size(); k++) {
            StartResult s = r.starts().get(k);
            Color c = palette[k % palette.length];
            int m = s.timesteps().length;
            int[] xs = new int[m], med = new int[m];
            Polygon band = new Polygon();
            for (int j = 0; j < m; j++) {
                xs[j] = px.applyAsInt(s.timesteps()[j]);
                med[j] = py.applyAsInt(ContractionAnalysis.quantile(s.distanceByStep()[j], 0.5));
                band.addPoint(xs[j], py.applyAsInt(ContractionAnalysis.quantile(s.distanceByStep()[j], 0.75)));
            }
            for (int j = m - 1; j >= 0; j--) band.addPoint(xs[j], py.applyAsInt(ContractionAnalysis.quantile(s.distanceByStep()[j], 0.25)));
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 50));
            g.fillPolygon(band);
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            g.drawPolyline(xs, med, m);
            g.fillRect(L + pw + 15, legendY - 9, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(s.start().description, L + pw + 35, legendY);
            legendY += 20;
        }
        g.drawString("band: quartiles over windows", L + pw + 15, legendY + 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(provenance.length() > 110 ? provenance.substring(0, 110) + "…" : provenance, L, H - 6);
        g.dispose();
        ParetoPlot.write(img, png);
    }

    private static double niceCeil(double v) {
        if (!(v > 0)) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * p >= v) return m * p;
        return 10 * p;
    }
}
