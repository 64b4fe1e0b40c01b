package org.steppolicy.sim.physics;

/**
 * A persistent contact pair with its accumulated impulses (cpArbiter.c). Every shape here has zero friction and zero
 * elasticity, so the tangent impulse is always clamped to zero and the bounce target is zero; both are left out.
 */
final class Arbiter {
    enum State { FIRST_COLLISION, NORMAL, CACHED }

    Shape a, b;
    Body bodyA, bodyB;
    Vec n = Vec.ZERO;
    Contact[] contacts = new Contact[0];
    int count;
    State state = State.FIRST_COLLISION;
    long stamp;

    /** cpArbiterUpdate: takes the new contacts, carrying the accumulated impulse over from a contact with the same feature hash. */
    void update(Collision.Info info) {
        a = info.a;
        bodyA = a.body;
        b = info.b;
        bodyB = b.body;
        Contact[] fresh = new Contact[info.count];
        for (int i = 0; i < info.count; i++) {
            Contact con = info.arr[i];
            con.r1 = con.r1.sub(new Vec(a.body.px, a.body.py));
            con.r2 = con.r2.sub(new Vec(b.body.px, b.body.py));
            con.jnAcc = 0.0;
            for (int j = 0; j < count; j++) {
                if (con.hash == contacts[j].hash) con.jnAcc = contacts[j].jnAcc;
            }
            fresh[i] = con;
        }
        contacts = fresh;
        count = info.count;
        n = info.n;
        if (state == State.CACHED) state = State.FIRST_COLLISION;
    }

    void preStep(double dt, double slop, double bias) {
        Body ba = bodyA, bb = bodyB;
        double bdx = bb.px - ba.px, bdy = bb.py - ba.py;
        for (int i = 0; i < count; i++) {
            Contact con = contacts[i];
            con.nMass = 1.0 / (ba.kScalar(con.r1, n) + bb.kScalar(con.r2, n));
            double dist = ((con.r2.x() - con.r1.x()) + bdx) * n.x() + ((con.r2.y() - con.r1.y()) + bdy) * n.y();
            con.bias = -bias * Cp.fmin(0.0, dist + slop) / dt;
            con.jBias = 0.0;
        }
    }

    void applyCachedImpulse(double dtCoef) {
        if (state == State.FIRST_COLLISION) return;
        for (int i = 0; i < count; i++) {
            Contact con = contacts[i];
            double jx = (n.x() * con.jnAcc - n.y() * 0.0) * dtCoef;
            double jy = (n.x() * 0.0 + n.y() * con.jnAcc) * dtCoef;
            applyImpulses(con, jx, jy);
        }
    }

    void applyImpulse() {
        Body ba = bodyA, bb = bodyB;
        double nx = n.x(), ny = n.y();
        for (int i = 0; i < count; i++) {
            Contact con = contacts[i];
            double nMass = con.nMass;
            Vec r1 = con.r1, r2 = con.r2;

            double vb1x = ba.vBiasX + -r1.y() * ba.wBias, vb1y = ba.vBiasY + r1.x() * ba.wBias;
            double vb2x = bb.vBiasX + -r2.y() * bb.wBias, vb2y = bb.vBiasY + r2.x() * bb.wBias;
            double v1x = ba.vx + -r1.y() * ba.w, v1y = ba.vy + r1.x() * ba.w;
            double v2x = bb.vx + -r2.y() * bb.w, v2y = bb.vy + r2.x() * bb.w;
            double vrx = (v2x - v1x) + 0.0, vry = (v2y - v1y) + 0.0;

            double vbn = (vb2x - vb1x) * nx + (vb2y - vb1y) * ny;
            double vrn = vrx * nx + vry * ny;

            double jbn = (con.bias - vbn) * nMass;
            double jbnOld = con.jBias;
            con.jBias = Cp.fmax(jbnOld + jbn, 0.0);

            double jn = -vrn * nMass;
            double jnOld = con.jnAcc;
            con.jnAcc = Cp.fmax(jnOld + jn, 0.0);

            double db = con.jBias - jbnOld;
            applyBiasImpulses(con, nx * db, ny * db);
            double dj = con.jnAcc - jnOld;
            applyImpulses(con, nx * dj - ny * 0.0, nx * 0.0 + ny * dj);
        }
    }

    private void applyImpulses(Contact con, double jx, double jy) {
        bodyA.applyImpulse(-jx, -jy, con.r1);
        bodyB.applyImpulse(jx, jy, con.r2);
    }

    private void applyBiasImpulses(Contact con, double jx, double jy) {
        bodyA.applyBiasImpulse(-jx, -jy, con.r1);
        bodyB.applyBiasImpulse(jx, jy, con.r2);
    }
}
