package org.steppolicy.sim;

import org.locationtech.jts.algorithm.Area;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.overlayng.RingClipper;

/**
 * Goal coverage of the T block (§E.3): area(goal ∩ block) / area(goal), with JTS.
 * <p>
 * The reference intersects MultiPolygons of the two parts. In the goal's own frame the goal's parts are two
 * axis-aligned rectangles that share only an edge, so the intersection area is the sum of the block outline
 * clipped to each rectangle (JTS {@link RingClipper}, Sutherland-Hodgman, whose shoelace area is exact for a
 * concave subject and a convex window). This is several times faster than a general overlay and is checked
 * against JTS's overlay ({@link #coverageByOverlay}) in the tests.
 */
final class Coverage {
    /** The T's outline in local block coordinates: the union of BAR and STEM (§E.1). */
    static final double[][] T_OUTLINE = {
            {-60, 0}, {60, 0}, {60, 30}, {15, 30}, {15, 120}, {-15, 120}, {-15, 30}, {-60, 30}};
    /** BAR and STEM as local rectangles (§E.1). */
    private static final Envelope BAR = new Envelope(-60, 60, 0, 30);
    private static final Envelope STEM = new Envelope(-15, 15, 30, 120);

    private final double gx, gy, gc, gs; // goal origin and rotation
    private final double goalArea;
    private final RingClipper barClip = new RingClipper(BAR), stemClip = new RingClipper(STEM);
    private final GeometryFactory factory = new GeometryFactory();

    /** @param goalPose x, y, angle of the goal T's origin */
    Coverage(double[] goalPose) {
        gx = goalPose[0];
        gy = goalPose[1];
        gc = StrictMath.cos(goalPose[2]);
        gs = StrictMath.sin(goalPose[2]);
        goalArea = BAR.getArea() + STEM.getArea();
    }

    double goalArea() { return goalArea; }

    /** Coverage of a block whose local->world transform is x' = a*x + c*y + tx, y' = b*x + d*y + ty. */
    double coverage(double a, double b, double c, double d, double tx, double ty) {
        Coordinate[] ring = new Coordinate[T_OUTLINE.length + 1];
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < T_OUTLINE.length; i++) {
            double lx = T_OUTLINE[i][0], ly = T_OUTLINE[i][1];
            double wx = a * lx + c * ly + tx - gx, wy = b * lx + d * ly + ty - gy;
            // world -> goal frame: rotate by -goal angle
            double x = gc * wx + gs * wy, y = -gs * wx + gc * wy;
            ring[i] = new Coordinate(x, y);
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
        }
        ring[T_OUTLINE.length] = ring[0];
        Envelope env = new Envelope(minX, maxX, minY, maxY);
        double inter = 0;
        if (env.intersects(BAR)) inter += clippedArea(barClip, ring);
        if (env.intersects(STEM)) inter += clippedArea(stemClip, ring);
        return inter / goalArea;
    }

    private static double clippedArea(RingClipper clipper, Coordinate[] ring) {
        Coordinate[] clipped = clipper.clip(ring);
        return clipped.length < 4 ? 0.0 : Area.ofRing(clipped);
    }

    /** Coverage of a block at pose (origin x, y, angle). */
    double coverage(double x, double y, double angle) {
        double cs = StrictMath.cos(angle), sn = StrictMath.sin(angle);
        return coverage(cs, sn, -sn, cs, x, y);
    }

    /** The same coverage by JTS's general polygon overlay, in world coordinates (the reference computation). */
    double coverageByOverlay(double x, double y, double angle) {
        Polygon goal = outline(gx, gy, gc, gs);
        Polygon block = outline(x, y, StrictMath.cos(angle), StrictMath.sin(angle));
        return goal.intersection(block).getArea() / goal.getArea();
    }

    private Polygon outline(double x, double y, double cs, double sn) {
        Coordinate[] pts = new Coordinate[T_OUTLINE.length + 1];
        for (int i = 0; i < T_OUTLINE.length; i++) {
            double lx = T_OUTLINE[i][0], ly = T_OUTLINE[i][1];
            pts[i] = new Coordinate(cs * lx - sn * ly + x, sn * lx + cs * ly + y);
        }
        pts[T_OUTLINE.length] = pts[0];
        return factory.createPolygon(pts);
    }
}
