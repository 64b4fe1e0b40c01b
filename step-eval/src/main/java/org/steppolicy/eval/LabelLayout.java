package org.steppolicy.eval;

import java.awt.Point;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;

/**
 * Places the labels of a scatter plot's points so that a reader cannot take one point's label for another's: every
 * label lies closer to its own point than to any other point (by a margin), inside the plot, over no other label and
 * no point. Close points (step:2 and temporal:2 often sit a few pixels apart) push their labels further out, to the
 * side away from their neighbours. A label that finds no such place goes to the nearest free spot and
 * {@link Placed#leader} says to draw a line from it to its point.
 */
final class LabelLayout {
    /** Half the side of the square a point's marker occupies. */
    static final int MARKER = 7;
    /** How much closer than any other point a label's own point must be, in pixels. */
    static final int MARGIN = 6;
    private static final int[] DISTANCES = {4, 10, 18, 28, 40, 54, 70};

    /** A label's box and whether it needs a leader line to its point. */
    record Placed(Rectangle box, boolean leader) {}

    private LabelLayout() {}

    /**
     * @param points the points' pixel positions
     * @param widths each label's width; every label is {@code height} high
     * @param plot   the area labels must stay in
     */
    static List<Placed> place(List<Point> points, int[] widths, int height, Rectangle plot) {
        List<Placed> out = new ArrayList<>();
        List<Rectangle> taken = new ArrayList<>();
        for (Point p : points) taken.add(new Rectangle(p.x - MARKER, p.y - MARKER, 2 * MARKER, 2 * MARKER));
        for (int i = 0; i < points.size(); i++) {
            Placed best = null;
            Rectangle fallback = null;
            for (int d : DISTANCES) {
                for (Rectangle box : candidates(points.get(i), widths[i], height, d)) {
                    if (!plot.contains(box) || overlaps(box, taken)) continue;
                    if (fallback == null) fallback = box;
                    if (nearestIsOwn(box, i, points)) {
                        best = new Placed(box, false);
                        break;
                    }
                }
                if (best != null) break;
            }
            if (best == null) {
                Rectangle box = fallback != null ? fallback : candidates(points.get(i), widths[i], height, DISTANCES[0]).get(0);
                best = new Placed(box, true);
            }
            out.add(best);
            taken.add(best.box());
        }
        return out;
    }

    /** Right, left, above, below, then the diagonals, each {@code d} pixels clear of the marker. */
    private static List<Rectangle> candidates(Point p, int w, int h, int d) {
        int r = MARKER + d;
        return List.of(
                new Rectangle(p.x + r, p.y - h / 2, w, h),
                new Rectangle(p.x - r - w, p.y - h / 2, w, h),
                new Rectangle(p.x - w / 2, p.y - r - h, w, h),
                new Rectangle(p.x - w / 2, p.y + r, w, h),
                new Rectangle(p.x + r, p.y - r - h, w, h),
                new Rectangle(p.x - r - w, p.y - r - h, w, h),
                new Rectangle(p.x + r, p.y + r, w, h),
                new Rectangle(p.x - r - w, p.y + r, w, h));
    }

    private static boolean overlaps(Rectangle box, List<Rectangle> taken) {
        for (Rectangle t : taken) if (t.intersects(box)) return true;
        return false;
    }

    /** True when point {@code own} is closer to the box than every other point, by {@link #MARGIN} pixels. */
    static boolean nearestIsOwn(Rectangle box, int own, List<Point> points) {
        double mine = distance(box, points.get(own));
        for (int j = 0; j < points.size(); j++)
            if (j != own && distance(box, points.get(j)) < mine + MARGIN) return false;
        return true;
    }

    /** Distance from a point to the nearest point of a rectangle (0 inside it). */
    static double distance(Rectangle box, Point p) {
        double dx = Math.max(Math.max(box.x - p.x, 0), p.x - (box.x + box.width));
        double dy = Math.max(Math.max(box.y - p.y, 0), p.y - (box.y + box.height));
        return Math.hypot(dx, dy);
    }
}
