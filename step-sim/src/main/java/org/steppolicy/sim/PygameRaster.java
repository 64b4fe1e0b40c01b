package org.steppolicy.sim;

import java.util.Arrays;

/**
 * The few pygame 2 rasterisers the reference's Push-T frames are made of (src_c/draw.c: filled polygon, filled
 * circle, thick line), on a packed-RGB buffer. java.awt's fill rules differ from pygame's by a pixel on the right
 * and bottom edges, which is most of the difference left after resampling to 96², so these follow pygame's integer
 * algorithms instead. Coordinates are already rounded to pixels (the reference's {@code to_pygame}).
 */
final class PygameRaster {
    private final int width, height;
    private final int[] rgb;

    PygameRaster(int width, int height, int background) {
        this.width = width;
        this.height = height;
        this.rgb = new int[width * height];
        Arrays.fill(rgb, background);
    }

    int[] pixels() { return rgb; }

    /** Inclusive horizontal span, clipped. */
    void hline(int color, int x1, int y, int x2) {
        if (y < 0 || y >= height) return;
        int a = Math.max(0, Math.min(x1, x2)), b = Math.min(width - 1, Math.max(x1, x2));
        for (int x = a; x <= b; x++) rgb[y * width + x] = color;
    }

    private void vline(int color, int x, int y1, int y2) {
        if (x < 0 || x >= width) return;
        int a = Math.max(0, Math.min(y1, y2)), b = Math.min(height - 1, Math.max(y1, y2));
        for (int y = a; y <= b; y++) rgb[y * width + x] = color;
    }

    /** pygame.draw.polygon(width=0): scanline fill with both ends of each span drawn, plus the horizontal edges. */
    void fillPolygon(int color, int[] px, int[] py) {
        int n = px.length;
        int miny = py[0], maxy = py[0];
        for (int i = 1; i < n; i++) {
            miny = Math.min(miny, py[i]);
            maxy = Math.max(maxy, py[i]);
        }
        if (miny == maxy) {
            int minx = px[0], maxx = px[0];
            for (int i = 1; i < n; i++) {
                minx = Math.min(minx, px[i]);
                maxx = Math.max(maxx, px[i]);
            }
            hline(color, minx, miny, maxx);
            return;
        }
        int[] xs = new int[n];
        for (int y = miny; y <= maxy; y++) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                int prev = i == 0 ? n - 1 : i - 1;
                int y1 = py[prev], y2 = py[i], x1, x2;
                if (y1 < y2) {
                    x1 = px[prev];
                    x2 = px[i];
                } else if (y1 > y2) {
                    y2 = py[prev];
                    y1 = py[i];
                    x2 = px[prev];
                    x1 = px[i];
                } else {
                    continue;
                }
                // C integer division (truncation toward zero), as Java's
                if ((y >= y1 && y < y2) || (y == maxy && y2 == maxy)) xs[k++] = (y - y1) * (x2 - x1) / (y2 - y1) + x1;
            }
            Arrays.sort(xs, 0, k);
            for (int i = 0; i + 1 < k; i += 2) hline(color, xs[i], y, xs[i + 1]);
        }
        for (int i = 0; i < n; i++) {
            int prev = i == 0 ? n - 1 : i - 1;
            int y = py[i];
            if (miny < y && py[prev] == y && y < maxy) hline(color, px[i], y, px[prev]);
        }
    }

    /** pygame.draw.circle(width=0), pygame 2's midpoint fill: a radius-r disc spans 2r pixels. */
    void fillCircle(int color, int x0, int y0, int radius) {
        if (radius < 1) {
            if (radius == 0 && x0 >= 0 && y0 >= 0 && x0 < width && y0 < height) rgb[y0 * width + x0] = color;
            return;
        }
        int f = 1 - radius, ddx = 0, ddy = -2 * radius, x = 0, y = radius;
        while (x < y) {
            if (f >= 0) {
                y--;
                ddy += 2;
                f += ddy;
            }
            x++;
            ddx += 2;
            f += ddx + 1;
            if (f >= 0) {
                hline(color, x0 - x, y0 + y - 1, x0 + x - 1);
                hline(color, x0 - x, y0 - y, x0 + x - 1);
            }
            hline(color, x0 - y, y0 + x - 1, x0 + y - 1);
            hline(color, x0 - y, y0 - x, x0 + y - 1);
        }
    }

    /** pygame.draw.line with width &gt; 1: Bresenham, a span of the width across the major direction per point. */
    void thickLine(int color, int x1, int y1, int x2, int y2, int lineWidth) {
        int extra = 1 - (lineWidth % 2);
        int half = lineWidth / 2;
        boolean spanInX = Math.abs(x1 - x2) <= Math.abs(y1 - y2);
        int dx = Math.abs(x2 - x1), sx = x1 < x2 ? 1 : -1;
        int dy = Math.abs(y2 - y1), sy = y1 < y2 ? 1 : -1;
        int err = (dx > dy ? dx : -dy) / 2;
        while (true) {
            if (spanInX) hline(color, x1 - half + extra, y1, x1 + half);
            else vline(color, x1, y1 - half + extra, y1 + half);
            if (x1 == x2 && y1 == y2) break;
            int e2 = err;
            if (e2 > -dx) {
                err -= dy;
                x1 += sx;
            }
            if (e2 < dy) {
                err += dx;
                y1 += sy;
            }
        }
    }

    /**
     * The reference's {@code DrawOptions.draw_fat_segment} (pymunk_override.py): a line of width round(2r), a quad
     * offset by its "orthogonal" (the reference takes absolute values of both components, so for some directions
     * the quad is not perpendicular; kept), and discs at both ends.
     */
    void fatSegment(int color, int p1x, int p1y, int p2x, int p2y, double radius) {
        int r = (int) Math.rint(Math.max(1, radius * 2));
        thickLine(color, p1x, p1y, p2x, p2y, r);
        if (r > 2) {
            double ox = Math.abs(p2y - p1y), oy = Math.abs(p2x - p1x);
            if (ox == 0 && oy == 0) return;
            double scale = radius / Math.sqrt(ox * ox + oy * oy);
            int qx = (int) Math.rint(ox * scale), qy = (int) Math.rint(oy * scale);
            fillPolygon(color, new int[] {p1x - qx, p1x + qx, p2x + qx, p2x - qx},
                    new int[] {p1y - qy, p1y + qy, p2y + qy, p2y - qy});
            fillCircle(color, p1x, p1y, (int) Math.rint(radius));
            fillCircle(color, p2x, p2y, (int) Math.rint(radius));
        }
    }
}
