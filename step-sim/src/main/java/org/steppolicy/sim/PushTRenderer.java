package org.steppolicy.sim;

import java.awt.Color;
import java.awt.image.BufferedImage;

/**
 * Draws Push-T frames in the reference's look (pusht_env.py with its pygame DrawOptions): white background, the goal
 * T in LightGreen, grey walls, the block in a lightened LightSlateGray with 2-px LightSlateGray edges, and the agent
 * as a RoyalBlue disc with a lighter core. Frames are drawn at 512² with pygame's own rasterisers ({@link PygameRaster});
 * smaller sizes are resampled bilinearly like cv2.resize, then the last action (if any) is marked with a red cross as
 * the reference's render_action does. Headless: only java.awt image classes are used. See docs/sim.md, render-check.
 */
public final class PushTRenderer {
    private static final Color GOAL = new Color(144, 238, 144);          // LightGreen
    private static final Color WALL = new Color(211, 211, 211);          // LightGray
    private static final Color BLOCK_EDGE = new Color(119, 136, 153);    // LightSlateGray
    private static final Color BLOCK_FILL = new Color(142, 163, 183);    // light_color: 1.2 x LightSlateGray, truncated
    private static final Color AGENT = new Color(65, 105, 225);          // RoyalBlue
    private static final Color AGENT_CORE = new Color(78, 126, 255);     // light_color(RoyalBlue)
    private static final Color MARKER = new Color(255, 0, 0);
    /** draw_polygon draws every edge as a fat segment of radius 2; the walls are Segments of radius 2. */
    private static final double EDGE_RADIUS = 2, WALL_RADIUS = 2;

    private PushTRenderer() {}

    /** A frame of size x size pixels (512 is the native resolution, 96 the policy's image size). */
    public static BufferedImage render(FrameState f, int size) {
        if (size < 8 || size > 4096) throw new IllegalArgumentException("frame size must be in 8..4096, got " + size);
        BufferedImage full = render512(f);
        BufferedImage img = size == PushTSpec.WINDOW ? full : resizeBilinear(full, size);
        if (f.action() != null) drawMarker(img, f.action());
        return img;
    }

    private static BufferedImage render512(FrameState f) {
        int ws = PushTSpec.WINDOW;
        PygameRaster r = new PygameRaster(ws, ws, 0xFFFFFF);
        double[] gp = PushTSpec.GOAL_POSE;
        for (double[][] part : parts(gp[0], gp[1], gp[2])) r.fillPolygon(rgb(GOAL), closed(xs(part)), closed(ys(part)));

        // space.debug_draw order: the block's parts, the agent, then the static walls (pymunk_override.py).
        for (double[][] part : parts(f.blockX(), f.blockY(), f.blockAngle())) {
            int[] x = xs(part), y = ys(part);
            r.fillPolygon(rgb(BLOCK_FILL), closed(x), closed(y));
            for (int i = 0; i < part.length; i++) {
                int j = (i + 1) % part.length;
                r.fatSegment(rgb(BLOCK_EDGE), x[i], y[i], x[j], y[j], EDGE_RADIUS);
            }
        }
        int ax = (int) Math.rint(f.agentX()), ay = (int) Math.rint(f.agentY());
        r.fillCircle(rgb(AGENT), ax, ay, (int) Math.rint(PushTSpec.AGENT_RADIUS));
        r.fillCircle(rgb(AGENT_CORE), ax, ay, (int) Math.rint(PushTSpec.AGENT_RADIUS - 4));
        for (double[] w : PushTSpec.WALLS) {
            r.fatSegment(rgb(WALL), (int) Math.rint(w[0]), (int) Math.rint(w[1]), (int) Math.rint(w[2]),
                    (int) Math.rint(w[3]), WALL_RADIUS);
        }
        BufferedImage img = new BufferedImage(ws, ws, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, ws, ws, r.pixels(), 0, ws);
        return img;
    }

    private static int rgb(Color c) { return c.getRGB() & 0xFFFFFF; }

    /** The reference closes its point lists by repeating the first point. */
    private static int[] closed(int[] v) {
        int[] out = java.util.Arrays.copyOf(v, v.length + 1);
        out[v.length] = v[0];
        return out;
    }

    /** World polygons of a T at pose (origin x, y, angle). */
    static double[][][] parts(double x, double y, double angle) {
        double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
        double[][][] out = new double[2][][];
        double[][][] local = {PushTSpec.BAR, PushTSpec.STEM};
        for (int p = 0; p < 2; p++) {
            out[p] = new double[local[p].length][];
            for (int i = 0; i < local[p].length; i++) {
                double lx = local[p][i][0], ly = local[p][i][1];
                out[p][i] = new double[] {c * lx - s * ly + x, s * lx + c * ly + y};
            }
        }
        return out;
    }

    private static int[] xs(double[][] pts) {
        int[] out = new int[pts.length];
        for (int i = 0; i < pts.length; i++) out[i] = (int) Math.rint(pts[i][0]); // Python round(): half to even
        return out;
    }

    private static int[] ys(double[][] pts) {
        int[] out = new int[pts.length];
        for (int i = 0; i < pts.length; i++) out[i] = (int) Math.rint(pts[i][1]);
        return out;
    }

    /**
     * Where output pixel {@code i} samples one axis of {@code n} source pixels in {@link #resizeBilinear}: the two
     * neighbours and the weight of the second; the same rule for rows and columns.
     */
    private record Tap(int lo, int hi, double w) {
        static Tap of(int i, double scale, int n) {
            double f = (i + 0.5) * scale - 0.5;
            int lo = (int) Math.floor(f);
            double w = f - lo;
            if (lo < 0) { lo = 0; w = 0; }
            int hi = Math.min(lo + 1, n - 1);
            if (lo >= n - 1) { lo = n - 1; w = 0; }
            return new Tap(lo, hi, w);
        }
    }

    /** Bilinear resampling with cv2's pixel-centre mapping (INTER_LINEAR). */
    static BufferedImage resizeBilinear(BufferedImage src, int size) {
        int sw = src.getWidth(), sh = src.getHeight();
        int[] in = src.getRGB(0, 0, sw, sh, null, 0, sw);
        int[] out = new int[size * size];
        double scaleX = sw / (double) size, scaleY = sh / (double) size;
        Tap[] columns = new Tap[size];
        for (int x = 0; x < size; x++) columns[x] = Tap.of(x, scaleX, sw);
        for (int y = 0; y < size; y++) {
            Tap row = Tap.of(y, scaleY, sh);
            int y0 = row.lo(), y1 = row.hi();
            double wy = row.w();
            for (int x = 0; x < size; x++) {
                int x0 = columns[x].lo(), x1 = columns[x].hi();
                double wx = columns[x].w();
                int p00 = in[y0 * sw + x0], p01 = in[y0 * sw + x1], p10 = in[y1 * sw + x0], p11 = in[y1 * sw + x1];
                int rgb = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    double v = (1 - wy) * ((1 - wx) * ((p00 >> shift) & 255) + wx * ((p01 >> shift) & 255))
                            + wy * ((1 - wx) * ((p10 >> shift) & 255) + wx * ((p11 >> shift) & 255));
                    rgb = (rgb << 8) | (int) Math.min(255, Math.round(v));
                }
                out[y * size + x] = rgb;
            }
        }
        BufferedImage dst = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        dst.setRGB(0, 0, size, size, out, 0, size);
        return dst;
    }

    /** cv2.drawMarker(MARKER_CROSS, size 8/96 of the frame) at the action, with the reference's integer truncation. */
    private static void drawMarker(BufferedImage img, double[] action) {
        int size = img.getWidth();
        int x = (int) (action[0] / PushTSpec.WINDOW * size), y = (int) (action[1] / PushTSpec.WINDOW * size);
        int half = Math.max(1, (int) (8.0 / 96 * size)) / 2;
        int rgb = MARKER.getRGB() & 0xFFFFFF;
        for (int d = -half; d <= half; d++) {
            set(img, x + d, y, rgb);
            set(img, x, y + d, rgb);
        }
    }

    private static void set(BufferedImage img, int x, int y, int rgb) {
        if (x >= 0 && y >= 0 && x < img.getWidth() && y < img.getHeight()) img.setRGB(x, y, rgb);
    }

    /** Row-major RGB bytes (height, width, 3), as the reference's images are laid out. */
    public static byte[] rgbBytes(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] out = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            out[3 * i] = (byte) (px[i] >> 16);
            out[3 * i + 1] = (byte) (px[i] >> 8);
            out[3 * i + 2] = (byte) px[i];
        }
        return out;
    }
}
