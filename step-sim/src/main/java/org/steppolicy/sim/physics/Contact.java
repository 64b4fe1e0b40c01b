package org.steppolicy.sim.physics;

/** One contact point of an arbiter (struct cpContact); r1/r2 are relative to the bodies' centres of gravity. */
final class Contact {
    Vec r1, r2;
    double nMass, bias, jBias, jnAcc;
    final long hash;

    Contact(Vec p1, Vec p2, long hash) {
        this.r1 = p1;
        this.r2 = p2;
        this.hash = hash;
    }
}
