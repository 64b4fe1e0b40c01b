package org.steppolicy.sim.physics;

/** cpCircleShape. */
public final class Circle extends Shape {
    final Vec c;
    final double r;
    Vec tc = Vec.ZERO;

    public Circle(Body body, double radius, double offsetX, double offsetY) {
        super(body, CIRCLE);
        this.r = radius;
        this.c = new Vec(offsetX, offsetY);
    }

    @Override
    BB cacheData() {
        tc = body.transformPoint(c);
        return BB.forExtents(tc, r, r);
    }
}
