package org.steppolicy.sim.physics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A physics space stepped exactly like Chipmunk 7.0.3's cpSpaceStep, for scenes of circles, segments and convex
 * polygons with zero friction and elasticity (what Push-T uses): integrate positions with last step's velocities
 * plus bias velocities, broad phase (bounding-box tree) and narrow phase, drop stale arbiters, pre-step, integrate
 * velocities with damping^dt, warm start with the cached impulses scaled by dt/prev_dt, then sequential impulses.
 */
public final class Space {
    /** Chipmunk defaults (cpSpaceInit), written with their float literals: 0.1f and (1.0f - 0.1f). */
    private static final double DEFAULT_SLOP = 0.1f;
    private static final double DEFAULT_BIAS = StrictMath.pow(1.0f - 0.1f, 60.0);
    private static final int COLLISION_PERSISTENCE = 3;

    private int iterations = 10;
    private double damping = 1.0;
    private final double slop = DEFAULT_SLOP;
    private final double collisionBias = DEFAULT_BIAS;

    private final Body staticBody = Body.fixed();
    private final List<Body> dynamicBodies = new ArrayList<>();
    private final List<Shape> dynamicShapes = new ArrayList<>();
    private final BBTree staticTree;
    private final BBTree dynamicTree;
    private int shapeIdCounter;

    private final Map<Long, Arbiter> cachedArbiters = new HashMap<>();
    private final List<Arbiter> arbiters = new ArrayList<>();
    private long stamp;
    private double currDt;
    // pow() of the bias and damping for the last dt: the same every sub-step, and pow is not cheap.
    private double powDt = Double.NaN, biasCoefForDt, dampingForDt, dampingUsed = Double.NaN;

    public Space() {
        BBTree[] trees = BBTree.newPair();
        staticTree = trees[0];
        dynamicTree = trees[1];
    }

    public Body staticBody() { return staticBody; }

    public void setDamping(double damping) { this.damping = damping; }

    public void setIterations(int iterations) { this.iterations = iterations; }

    /** cpSpaceAddBody for a non-static body. */
    public void addBody(Body body) {
        if (body.type == Body.Type.STATIC) throw new IllegalArgumentException("static bodies are not added");
        dynamicBodies.add(body);
    }

    /** cpSpaceAddShape: numbers the shape, caches its box and inserts it in the static or the dynamic tree. */
    public void addShape(Shape shape) {
        shape.body.shapes.add(shape);
        shape.hashid = shapeIdCounter++;
        shape.cacheBB();
        if (shape.body.type == Body.Type.STATIC) {
            staticTree.insert(shape);
        } else {
            dynamicShapes.add(shape);
            dynamicTree.insert(shape);
        }
    }

    /** Number of arbiters in the solver during the last step. */
    public int activeArbiters() { return arbiters.size(); }

    public void step(double dt) {
        if (dt == 0.0) return;
        stamp++;
        double prevDt = currDt;
        currDt = dt;

        for (Arbiter arb : arbiters) arb.state = Arbiter.State.NORMAL;
        arbiters.clear();

        for (Body body : dynamicBodies) body.updatePosition(dt);
        for (Shape s : dynamicShapes) s.cacheBB();
        dynamicTree.reindexQuery(this::collideShapes);

        filterArbiters();

        if (dt != powDt || damping != dampingUsed) {
            powDt = dt;
            dampingUsed = damping;
            biasCoefForDt = 1.0 - StrictMath.pow(collisionBias, dt);
            dampingForDt = StrictMath.pow(damping, dt);
        }
        for (Arbiter arb : arbiters) arb.preStep(dt, slop, biasCoefForDt);

        for (Body body : dynamicBodies) body.updateVelocity(0.0, 0.0, dampingForDt, dt);

        double dtCoef = prevDt == 0.0 ? 0.0 : dt / prevDt;
        for (Arbiter arb : arbiters) arb.applyCachedImpulse(dtCoef);

        for (int i = 0; i < iterations; i++) {
            for (Arbiter arb : arbiters) arb.applyImpulse();
        }
    }

    private static long pairKey(Shape a, Shape b) {
        int lo = Math.min(a.hashid, b.hashid), hi = Math.max(a.hashid, b.hashid);
        return ((long) lo << 32) | hi;
    }

    /** cpSpaceCollideShapes: broad-phase filter, narrow phase, arbiter update; returns the id for the pair cache. */
    private int collideShapes(Shape a, Shape b, int id) {
        if (!a.bb.intersects(b.bb) || a.body == b.body) return id;
        // Two infinite-mass bodies (the kinematic agent and a wall) are never solved: skip them early.
        if (a.body.infiniteMass() && b.body.infiniteMass()) return id;
        Collision.Info info = Collision.collide(a, b, id);
        if (info.count == 0) return info.id;
        Arbiter arb = cachedArbiters.computeIfAbsent(pairKey(info.a, info.b), k -> new Arbiter());
        arb.update(info);
        arbiters.add(arb);
        arb.stamp = stamp;
        return info.id;
    }

    /** cpSpaceArbiterSetFilter: an arbiter not touched this step becomes cached; after 3 steps it is dropped. */
    private void filterArbiters() {
        Iterator<Arbiter> it = cachedArbiters.values().iterator();
        while (it.hasNext()) {
            Arbiter arb = it.next();
            long ticks = stamp - arb.stamp;
            if (ticks >= 1 && arb.state != Arbiter.State.CACHED) arb.state = Arbiter.State.CACHED;
            if (ticks >= COLLISION_PERSISTENCE) it.remove();
        }
    }
}
