package org.steppolicy.sim.physics;

/** Chipmunk's scalar helpers with C semantics (ternary min/max, not Java's NaN/-0.0 aware Math.min/max). */
final class Cp {
    private Cp() {}

    static double fmax(double a, double b) { return (a > b) ? a : b; }

    static double fmin(double a, double b) { return (a < b) ? a : b; }

    static double clamp(double f, double min, double max) { return fmin(fmax(f, min), max); }

    static double clamp01(double f) { return fmax(0.0, fmin(f, 1.0)); }

    /** CP_HASH_COEF and CP_HASH_PAIR with 64-bit wrap-around (cpHashValue is uintptr_t). */
    static final long HASH_COEF = 3344921057L;

    static long hashPair(long a, long b) { return (a * HASH_COEF) ^ (b * HASH_COEF); }

    /** cpCheckPointGreater (cpRobust.c). */
    static boolean checkPointGreater(Vec a, Vec b, Vec c) {
        return (b.y() - a.y()) * (a.x() + b.x() - 2 * c.x()) > (b.x() - a.x()) * (a.y() + b.y() - 2 * c.y());
    }

    /** cpCheckAxis (cpRobust.c). */
    static boolean checkAxis(Vec v0, Vec v1, Vec p, Vec n) {
        return p.dot(n) <= fmax(v0.dot(n), v1.dot(n));
    }
}
