package org.steppolicy.sim.physics;

/**
 * An immutable 2-D vector whose operations keep Chipmunk's operation order (cpVect.h), so that results round the
 * same way as the reference physics.
 */
record Vec(double x, double y) {
    static final Vec ZERO = new Vec(0.0, 0.0);

    Vec add(Vec o) { return new Vec(x + o.x, y + o.y); }

    Vec sub(Vec o) { return new Vec(x - o.x, y - o.y); }

    Vec mult(double s) { return new Vec(x * s, y * s); }

    Vec neg() { return new Vec(-x, -y); }

    double dot(Vec o) { return x * o.x + y * o.y; }

    double cross(Vec o) { return x * o.y - y * o.x; }

    /** 90-degree rotation (cpvperp). */
    Vec perp() { return new Vec(-y, x); }

    /** -90-degree rotation (cpvrperp). */
    Vec rperp() { return new Vec(y, -x); }

    double lengthSq() { return dot(this); }

    double length() { return Math.sqrt(dot(this)); }

    /** cpvnormalize: divides by length + DBL_MIN to avoid 0/0. */
    Vec normalize() { return mult(1.0 / (length() + Double.MIN_NORMAL)); }

    /** Complex multiplication (cpvrotate). */
    Vec rotate(Vec r) { return new Vec(x * r.x - y * r.y, x * r.y + y * r.x); }

    static Vec lerp(Vec a, Vec b, double t) { return a.mult(1.0 - t).add(b.mult(t)); }

    /** Exact component equality as C's == (so 0.0 == -0.0), unlike record equals. */
    boolean eql(Vec o) { return x == o.x && y == o.y; }
}
