package org.steppolicy.sim.physics;

/**
 * cpPolyShape with radius 0. Like cpPolyShapeNew, the given vertices are first reduced to their convex hull by
 * Chipmunk's QuickHull, which also fixes the vertex order (and so the feature ids used for contact persistence).
 */
public final class Poly extends Shape {
    final int count;
    final Vec[] verts;   // local, hull order
    final Vec[] normals; // local; normals[i] is the normal of the edge verts[i-1] -> verts[i]
    final Vec[] tverts;  // world
    final Vec[] tnormals;
    final double r = 0.0;

    public Poly(Body body, double[][] vertices) {
        super(body, POLY);
        Vec[] in = new Vec[vertices.length];
        for (int i = 0; i < in.length; i++) in[i] = new Vec(vertices[i][0], vertices[i][1]);
        this.verts = QuickHull.hull(in);
        this.count = verts.length;
        this.normals = new Vec[count];
        for (int i = 0; i < count; i++) {
            Vec a = verts[(i - 1 + count) % count];
            normals[i] = verts[i].sub(a).rperp().normalize();
        }
        this.tverts = new Vec[count];
        this.tnormals = new Vec[count];
    }

    /** The hull vertices in local coordinates, in Chipmunk's order (pymunk get_vertices). */
    public double[][] vertices() {
        double[][] out = new double[count][];
        for (int i = 0; i < count; i++) out[i] = new double[] {verts[i].x(), verts[i].y()};
        return out;
    }

    /** cpCentroidForPoly of the hull vertices (pymunk shape.center_of_gravity). */
    public double[] centroid() {
        double sum = 0.0, sx = 0.0, sy = 0.0;
        for (int i = 0; i < count; i++) {
            Vec v1 = verts[i], v2 = verts[(i + 1) % count];
            double cross = v1.cross(v2);
            sum += cross;
            sx = sx + (v1.x() + v2.x()) * cross;
            sy = sy + (v1.y() + v2.y()) * cross;
        }
        double s = 1.0 / (3.0 * sum);
        return new double[] {sx * s, sy * s};
    }

    /** cpMomentForPoly(m, verts, offset 0, r 0) over the vertices as given (pymunk moment_for_poly does not hull). */
    public static double momentForPoly(double m, double[][] vertices) {
        int n = vertices.length;
        double sum1 = 0.0, sum2 = 0.0;
        for (int i = 0; i < n; i++) {
            Vec v1 = new Vec(vertices[i][0], vertices[i][1]).add(Vec.ZERO);
            Vec v2 = new Vec(vertices[(i + 1) % n][0], vertices[(i + 1) % n][1]).add(Vec.ZERO);
            double a = v2.cross(v1);
            double b = v1.dot(v1) + v1.dot(v2) + v2.dot(v2);
            sum1 += a * b;
            sum2 += a;
        }
        return (m * sum1) / (6.0 * sum2);
    }

    @Override
    BB cacheData() {
        double l = Double.POSITIVE_INFINITY, rr = Double.NEGATIVE_INFINITY;
        double b = Double.POSITIVE_INFINITY, t = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            Vec v = body.transformPoint(verts[i]);
            tverts[i] = v;
            tnormals[i] = body.transformVect(normals[i]);
            l = Cp.fmin(l, v.x());
            rr = Cp.fmax(rr, v.x());
            b = Cp.fmin(b, v.y());
            t = Cp.fmax(t, v.y());
        }
        return new BB(l - r, b - r, rr + r, t + r);
    }
}
