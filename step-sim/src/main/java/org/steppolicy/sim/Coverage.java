package org.steppolicy.sim;

import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;

/**
 * Goal coverage of the T block (§E.3): area(goal ∩ block) / area(goal), with JTS. The reference intersects two
 * MultiPolygons of two parts each; the parts of each T only share an edge, so the area equals the sum of the four
 * part-by-part intersections, which keeps every JTS input a valid simple polygon.
 */
final class Coverage {
    private final GeometryFactory factory = new GeometryFactory();
    private final Polygon[] goal;
    private final double goalArea;

    /** @param goalParts world vertices of the goal T's parts, each double[n][2] */
    Coverage(double[][][] goalParts) {
        goal = new Polygon[goalParts.length];
        double area = 0;
        for (int i = 0; i < goalParts.length; i++) {
            goal[i] = polygon(goalParts[i]);
            area += goal[i].getArea();
        }
        goalArea = area;
    }

    double goalArea() { return goalArea; }

    double coverage(double[][][] blockParts) {
        double inter = 0;
        for (double[][] part : blockParts) {
            Polygon b = polygon(part);
            for (Polygon g : goal) {
                if (g.getEnvelopeInternal().intersects(b.getEnvelopeInternal())) inter += g.intersection(b).getArea();
            }
        }
        return inter / goalArea;
    }

    private Polygon polygon(double[][] verts) {
        Coordinate[] cs = new Coordinate[verts.length + 1];
        for (int i = 0; i < verts.length; i++) cs[i] = new Coordinate(verts[i][0], verts[i][1]);
        cs[verts.length] = cs[0];
        return factory.createPolygon(cs);
    }
}
