package org.steppolicy.sim.physics;

/** cpSegmentShape with no neighbour tangents (so no end-cap rejection). */
public final class Segment extends Shape {
    final Vec a, b, n;
    final double r;
    Vec ta = Vec.ZERO, tb = Vec.ZERO, tn = Vec.ZERO;

    public Segment(Body body, double ax, double ay, double bx, double by, double radius) {
        super(body, SEGMENT);
        this.a = new Vec(ax, ay);
        this.b = new Vec(bx, by);
        this.n = b.sub(a).normalize().rperp();
        this.r = radius;
    }

    @Override
    BB cacheData() {
        ta = body.transformPoint(a);
        tb = body.transformPoint(b);
        tn = body.transformVect(n);
        double l, rr, bo, t;
        if (ta.x() < tb.x()) { l = ta.x(); rr = tb.x(); } else { l = tb.x(); rr = ta.x(); }
        if (ta.y() < tb.y()) { bo = ta.y(); t = tb.y(); } else { bo = tb.y(); t = ta.y(); }
        return new BB(l - r, bo - r, rr + r, t + r);
    }
}
