package org.steppolicy.sim.physics;

import java.util.ArrayList;
import java.util.List;

/**
 * A rigid body with Chipmunk 7 semantics (cpBody.c): {@code p} is the world position of the centre of gravity, the
 * "position" users see is the local origin, and setting the angle rotates about the centre of gravity.
 */
public final class Body {
    public enum Type { DYNAMIC, KINEMATIC, STATIC }

    final Type type;
    final double mInv;
    final double iInv;
    Vec cog = Vec.ZERO;

    // World centre of gravity, velocities and the bias velocities of the position correction.
    double px, py, vx, vy, a, w;
    double vBiasX, vBiasY, wBias;
    // Rigid transform local -> world: x' = ta*x + tc*y + tx, y' = tb*x + td*y + ty.
    double ta = 1, tb = 0, tc = -0.0, td = 1, tx, ty;

    final List<Shape> shapes = new ArrayList<>();

    private Body(Type type, double mass, double moment) {
        this.type = type;
        if (type == Type.DYNAMIC) {
            this.mInv = mass == 0.0 ? Double.POSITIVE_INFINITY : 1.0 / mass;
            this.iInv = moment == 0.0 ? Double.POSITIVE_INFINITY : 1.0 / moment;
        } else {
            this.mInv = 0.0;
            this.iInv = 0.0;
        }
        setTransform(0.0, 0.0, 0.0);
    }

    public static Body dynamic(double mass, double moment) { return new Body(Type.DYNAMIC, mass, moment); }

    public static Body kinematic() { return new Body(Type.KINEMATIC, 0, 0); }

    public static Body fixed() { return new Body(Type.STATIC, 0, 0); }

    public Type type() { return type; }

    boolean infiniteMass() { return type != Type.DYNAMIC; }

    private void setTransform(double pX, double pY, double angle) {
        // StrictMath (fdlibm) keeps results identical on every JVM and platform.
        double rx = StrictMath.cos(angle), ry = StrictMath.sin(angle);
        double cx = cog.x(), cy = cog.y();
        ta = rx;
        tc = -ry;
        tx = pX - (cx * rx - cy * ry);
        tb = ry;
        td = rx;
        ty = pY - (cx * ry + cy * rx);
    }

    /** cpBodySetCenterOfGravity: only stores it; the transform is refreshed by the next pose change. */
    public void setCenterOfGravity(double x, double y) { cog = new Vec(x, y); }

    /** cpBodySetPosition: moves the local origin to (x, y) keeping the angle. */
    public void setPosition(double x, double y) {
        Vec c = transformVect(cog);
        px = c.x() + x;
        py = c.y() + y;
        setTransform(px, py, a);
    }

    /** cpBodySetAngle: rotates about the centre of gravity (p stays). */
    public void setAngle(double angle) {
        a = angle;
        setTransform(px, py, angle);
    }

    public double cogX() { return cog.x(); }

    public double cogY() { return cog.y(); }

    public void setVelocity(double x, double y) { vx = x; vy = y; }

    public double velocityX() { return vx; }

    public double velocityY() { return vy; }

    /** The local origin in world coordinates (cpBodyGetPosition). */
    public double positionX() { return ta * 0.0 + tc * 0.0 + tx; }

    public double positionY() { return tb * 0.0 + td * 0.0 + ty; }

    public double angle() { return a; }

    Vec transformPoint(Vec v) { return new Vec(ta * v.x() + tc * v.y() + tx, tb * v.x() + td * v.y() + ty); }

    Vec transformVect(Vec v) { return new Vec(ta * v.x() + tc * v.y(), tb * v.x() + td * v.y()); }

    /** Local point -> world (cpBodyLocalToWorld). */
    public double[] localToWorld(double x, double y) {
        return new double[] {ta * x + tc * y + tx, tb * x + td * y + ty};
    }

    /** The local->world transform {a, b, c, d, tx, ty}: x' = a*x + c*y + tx, y' = b*x + d*y + ty. */
    public void transform(double[] out) {
        out[0] = ta;
        out[1] = tb;
        out[2] = tc;
        out[3] = td;
        out[4] = tx;
        out[5] = ty;
    }

    Vec rotation() { return new Vec(ta, tb); }

    /** cpBodyUpdatePosition: integrates with the velocity plus the bias velocity of the last solve, then clears the bias. */
    void updatePosition(double dt) {
        px = px + (vx + vBiasX) * dt;
        py = py + (vy + vBiasY) * dt;
        a = a + (w + wBias) * dt;
        setTransform(px, py, a);
        vBiasX = 0.0;
        vBiasY = 0.0;
        wBias = 0.0;
    }

    /** cpBodyUpdateVelocity with zero force/torque; kinematic bodies keep their velocity. */
    void updateVelocity(double gx, double gy, double damping, double dt) {
        if (type == Type.KINEMATIC) return;
        vx = vx * damping + (gx + 0.0 * mInv) * dt;
        vy = vy * damping + (gy + 0.0 * mInv) * dt;
        w = w * damping + 0.0 * iInv * dt;
    }

    void applyImpulse(double jx, double jy, Vec r) {
        vx = vx + jx * mInv;
        vy = vy + jy * mInv;
        w += iInv * (r.x() * jy - r.y() * jx);
    }

    void applyBiasImpulse(double jx, double jy, Vec r) {
        vBiasX = vBiasX + jx * mInv;
        vBiasY = vBiasY + jy * mInv;
        wBias += iInv * (r.x() * jy - r.y() * jx);
    }

    /** k_scalar_body (chipmunk_private.h). */
    double kScalar(Vec r, Vec n) {
        double rcn = r.cross(n);
        return mInv + iInv * rcn * rcn;
    }
}
