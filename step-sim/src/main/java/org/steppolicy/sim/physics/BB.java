package org.steppolicy.sim.physics;

/** Axis-aligned bounding box (cpBB): left, bottom, right, top. */
record BB(double l, double b, double r, double t) {
    static BB forExtents(Vec c, double hw, double hh) { return new BB(c.x() - hw, c.y() - hh, c.x() + hw, c.y() + hh); }

    boolean intersects(BB o) { return l <= o.r && o.l <= r && b <= o.t && o.b <= t; }

    boolean containsBB(BB o) { return l <= o.l && r >= o.r && b <= o.b && t >= o.t; }

    BB merge(BB o) { return new BB(Cp.fmin(l, o.l), Cp.fmin(b, o.b), Cp.fmax(r, o.r), Cp.fmax(t, o.t)); }

    double area() { return (r - l) * (t - b); }

    double mergedArea(BB o) { return (Cp.fmax(r, o.r) - Cp.fmin(l, o.l)) * (Cp.fmax(t, o.t) - Cp.fmin(b, o.b)); }

    /** cpBBProximity, the tie-breaker of the tree insertion cost. */
    double proximity(BB o) { return Math.abs(l + r - o.l - o.r) + Math.abs(b + t - o.b - o.t); }

    Vec center() { return Vec.lerp(new Vec(l, b), new Vec(r, t), 0.5); }
}
