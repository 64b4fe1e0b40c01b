package org.steppolicy.sim;

import org.steppolicy.config.UserError;
import org.steppolicy.data.DemoFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * The renderer's fidelity check: every recorded {@code obs/state} of an image Push-T file is drawn at the
 * policy's size with {@link PushTRenderer} and compared with the recorded {@code obs/image} of the same step. Frames
 * are read one demo at a time through {@link DemoFile#readFrames}, so the image set never sits in memory.
 *
 * <p>The recorded images carry no action marker (drawing action k-1 as the reference's {@code render_action} would
 * raises the error from 0.03 to 0.35 levels on demo_2 step 40), so frames are drawn without one.
 */
public final class RenderCheck {
    /** The renderer's acceptance bar: mean absolute error ≤ 4 levels of 255 and ≥ 98 % of pixels within 16 levels. */
    public static final double MAX_MEAN_ABS_ERR = 4.0;
    public static final double MIN_SHARE_WITHIN = 0.98;
    /** A pixel is "within" when each of its three channels differs by at most this many levels. */
    public static final int WITHIN_LEVELS = 16;

    /** Per-demo numbers; the sums let the overall figures weight every pixel alike. */
    public record DemoResult(String name, int frames, long values, double absErrSum, long pixels, long pixelsWithin) {
        public double meanAbsErr() { return values == 0 ? 0 : absErrSum / values; }

        public double shareWithin() { return pixels == 0 ? 1 : pixelsWithin / (double) pixels; }
    }

    public record Summary(Path file, List<DemoResult> demos) {
        public int frames() { return demos.stream().mapToInt(DemoResult::frames).sum(); }

        public double meanAbsErr() {
            long n = demos.stream().mapToLong(DemoResult::values).sum();
            return n == 0 ? 0 : demos.stream().mapToDouble(DemoResult::absErrSum).sum() / n;
        }

        public double shareWithin() {
            long n = demos.stream().mapToLong(DemoResult::pixels).sum();
            return n == 0 ? 1 : demos.stream().mapToLong(DemoResult::pixelsWithin).sum() / (double) n;
        }

        public DemoResult worstDemo() {
            DemoResult w = null;
            for (DemoResult d : demos) if (w == null || d.meanAbsErr() > w.meanAbsErr()) w = d;
            return w;
        }

        public boolean meetsBar() { return meanAbsErr() <= MAX_MEAN_ABS_ERR && shareWithin() >= MIN_SHARE_WITHIN; }

        public String report() {
            DemoResult w = worstDemo();
            return String.format(Locale.ROOT,
                    "compared %d frames of %d demos%n"
                            + "mean absolute error %.4f levels of 255; pixels within %d levels (all channels): %.4f %%%n"
                            + "worst demo by mean absolute error: %s (%.4f levels, %.4f %% within)%n"
                            + "bar (mean abs error <= %.0f, >= %.0f %% within %d): %s",
                    frames(), demos.size(), meanAbsErr(), WITHIN_LEVELS, 100 * shareWithin(),
                    w == null ? "-" : w.name(), w == null ? 0 : w.meanAbsErr(), w == null ? 0 : 100 * w.shareWithin(),
                    MAX_MEAN_ABS_ERR, 100 * MIN_SHARE_WITHIN, WITHIN_LEVELS, meetsBar() ? "met" : "NOT met");
        }

        public String toJson() {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("file", file.toString());
            root.put("demos", demos.size());
            root.put("frames", frames());
            root.put("mean_abs_err", meanAbsErr());
            root.put("share_within_" + WITHIN_LEVELS, shareWithin());
            root.put("meets_bar", meetsBar());
            List<Map<String, Object>> perDemo = new ArrayList<>();
            for (DemoResult d : demos) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", d.name());
                m.put("frames", d.frames());
                m.put("mean_abs_err", d.meanAbsErr());
                m.put("share_within_" + WITHIN_LEVELS, d.shareWithin());
                perDemo.add(m);
            }
            root.put("per_demo", perDemo);
            return Json.pretty(root);
        }
    }

    private RenderCheck() {}

    /** Checks every demo of the file. */
    public static Summary run(Path file) {
        return run(file, Integer.MAX_VALUE);
    }

    /** Checks the first {@code maxDemos} demos (in numeric order). */
    public static Summary run(Path file, int maxDemos) {
        List<DemoResult> out = new ArrayList<>();
        try (DemoFile f = DemoFile.open(file)) {
            for (String demo : f.demoNames()) {
                if (out.size() >= maxDemos) break;
                out.add(check(f, demo));
            }
        }
        return new Summary(file, out);
    }

    static DemoResult check(DemoFile f, String demo) {
        float[][] states = f.readRows(f.obsDataset(demo, "state"));
        int[] shape = f.frameShape(demo, "image");
        if (shape.length != 3 || shape[0] != shape[1] || shape[2] != 3) {
            throw new UserError(f.path() + ": " + DemoFile.demoPath(demo) + "/obs/image: expected (n, S, S, 3) RGB frames, "
                    + "found frames of " + java.util.Arrays.toString(shape));
        }
        int size = shape[0];
        int n = states.length;
        byte[] recorded = f.readFrames(demo, "image", 0, n);
        int frameBytes = size * size * 3;
        double absSum = 0;
        long within = 0;
        for (int k = 0; k < n; k++) {
            double[] s = new double[PushTSpec.STATE_DIM];
            for (int i = 0; i < s.length; i++) s[i] = states[k][i];
            byte[] mine = PushTRenderer.rgbBytes(PushTRenderer.render(FrameState.ofState(s, null), size));
            int base = k * frameBytes;
            for (int p = 0; p < size * size; p++) {
                int worst = 0;
                for (int c = 0; c < 3; c++) {
                    int d = Math.abs((mine[3 * p + c] & 255) - (recorded[base + 3 * p + c] & 255));
                    absSum += d;
                    worst = Math.max(worst, d);
                }
                if (worst <= WITHIN_LEVELS) within++;
            }
        }
        return new DemoResult(demo, n, (long) n * frameBytes, absSum, (long) n * size * size, within);
    }
}
