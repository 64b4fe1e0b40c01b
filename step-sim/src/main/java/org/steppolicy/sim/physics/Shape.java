package org.steppolicy.sim.physics;

/** A collision shape (cpShape): circle, segment or convex polygon, with world data cached once per step. */
public abstract sealed class Shape permits Circle, Segment, Poly {
    /** Chipmunk's shape-type order; narrow-phase pairs are sorted by it (cpCollide). */
    static final int CIRCLE = 0, SEGMENT = 1, POLY = 2;

    final Body body;
    final int kind;
    /** Assigned by the space in insertion order (shapeIDCounter); used for hashing and the tree's leaf set. */
    int hashid;
    BB bb;

    Shape(Body body, int kind) {
        this.body = body;
        this.kind = kind;
    }

    public Body body() { return body; }

    /** Recomputes world data and the bounding box from the body transform (cpShapeCacheBB). */
    abstract BB cacheData();

    final void cacheBB() { bb = cacheData(); }
}
