package org.steppolicy.sim.physics;

/**
 * Narrow phase for the pairs this scene needs, following cpCollision.c (Chipmunk 7.0.3): circle-poly and
 * segment-poly by GJK (with EPA when the cores overlap) and edge clipping; circle-segment directly. Shapes arrive
 * sorted by kind. The GJK start is seeded by the pair's cached collision id, as in Chipmunk.
 */
final class Collision {
    private static final int MAX_GJK_ITERATIONS = 30;
    private static final int MAX_EPA_ITERATIONS = 30;

    /** Result of one narrow-phase call (struct cpCollisionInfo). */
    static final class Info {
        final Shape a, b;
        int id;
        Vec n = Vec.ZERO;
        int count;
        final Contact[] arr = new Contact[2];

        Info(Shape a, Shape b, int id) {
            this.a = a;
            this.b = b;
            this.id = id;
        }

        void push(Vec p1, Vec p2, long hash) { arr[count++] = new Contact(p1, p2, hash); }
    }

    private record SupportPoint(Vec p, int index) {}

    private record MinkowskiPoint(Vec a, Vec b, Vec ab, int id) {
        static MinkowskiPoint of(SupportPoint a, SupportPoint b) {
            return new MinkowskiPoint(a.p(), b.p(), b.p().sub(a.p()), (a.index() & 0xFF) << 8 | (b.index() & 0xFF));
        }
    }

    private record ClosestPoints(Vec a, Vec b, Vec n, double d, int id) {}

    private record EdgePoint(Vec p, long hash) {}

    private record Edge(EdgePoint a, EdgePoint b, double r, Vec n) {}

    private Collision() {}

    /** cpCollide: orders the pair by shape kind and dispatches. */
    static Info collide(Shape s1, Shape s2, int id) {
        Shape a = s1, b = s2;
        if (a.kind > b.kind) {
            a = s2;
            b = s1;
        }
        Info info = new Info(a, b, id);
        if (a.kind == Shape.CIRCLE && b.kind == Shape.POLY) {
            circleToPoly((Circle) a, (Poly) b, info);
        } else if (a.kind == Shape.SEGMENT && b.kind == Shape.POLY) {
            segmentToPoly((Segment) a, (Poly) b, info);
        } else if (a.kind == Shape.CIRCLE && b.kind == Shape.SEGMENT) {
            circleToSegment((Circle) a, (Segment) b, info);
        } else {
            throw new UnsupportedOperationException("no narrow phase for shape kinds " + a.kind + "/" + b.kind);
        }
        return info;
    }

    // ---- support points

    private static int polySupportPointIndex(Poly poly, Vec n) {
        double max = Double.NEGATIVE_INFINITY;
        int index = 0;
        for (int i = 0; i < poly.count; i++) {
            double d = poly.tverts[i].dot(n);
            if (d > max) {
                max = d;
                index = i;
            }
        }
        return index;
    }

    private static SupportPoint supportPoint(Shape s, Vec n) {
        switch (s.kind) {
            case Shape.CIRCLE:
                return new SupportPoint(((Circle) s).tc, 0);
            case Shape.SEGMENT: {
                Segment seg = (Segment) s;
                return seg.ta.dot(n) > seg.tb.dot(n) ? new SupportPoint(seg.ta, 0) : new SupportPoint(seg.tb, 1);
            }
            default: {
                Poly poly = (Poly) s;
                int i = polySupportPointIndex(poly, n);
                return new SupportPoint(poly.tverts[i], i);
            }
        }
    }

    /** ShapePoint: the support point with a cached index. */
    private static SupportPoint shapePoint(Shape s, int i) {
        switch (s.kind) {
            case Shape.CIRCLE:
                return new SupportPoint(((Circle) s).tc, 0);
            case Shape.SEGMENT: {
                Segment seg = (Segment) s;
                return new SupportPoint(i == 0 ? seg.ta : seg.tb, i);
            }
            default: {
                Poly poly = (Poly) s;
                int index = i < poly.count ? i : 0;
                return new SupportPoint(poly.tverts[index], index);
            }
        }
    }

    private static MinkowskiPoint support(Shape s1, Shape s2, Vec n) {
        return MinkowskiPoint.of(supportPoint(s1, n.neg()), supportPoint(s2, n));
    }

    // ---- closest points

    private static double closestT(Vec a, Vec b) {
        Vec delta = b.sub(a);
        return -Cp.clamp(delta.dot(a.add(b)) / delta.lengthSq(), -1.0, 1.0);
    }

    private static Vec lerpT(Vec a, Vec b, double t) {
        double ht = 0.5 * t;
        return a.mult(0.5 - ht).add(b.mult(0.5 + ht));
    }

    private static double closestDist(Vec v0, Vec v1) { return lerpT(v0, v1, closestT(v0, v1)).lengthSq(); }

    private static ClosestPoints closestPoints(MinkowskiPoint v0, MinkowskiPoint v1) {
        double t = closestT(v0.ab(), v1.ab());
        Vec p = lerpT(v0.ab(), v1.ab(), t);
        Vec pa = lerpT(v0.a(), v1.a(), t);
        Vec pb = lerpT(v0.b(), v1.b(), t);
        int id = (v0.id() & 0xFFFF) << 16 | (v1.id() & 0xFFFF);
        Vec delta = v1.ab().sub(v0.ab());
        Vec n = delta.rperp().normalize();
        double d = n.dot(p);
        if (d <= 0.0 || (-1.0 < t && t < 1.0)) return new ClosestPoints(pa, pb, n, d, id);
        // Vertex/vertex: the separating axis is not an edge normal of the Minkowski difference.
        double d2 = p.length();
        Vec n2 = p.mult(1.0 / (d2 + Double.MIN_NORMAL));
        return new ClosestPoints(pa, pb, n2, d2, id);
    }

    // ---- EPA

    private static ClosestPoints epaRecurse(Shape s1, Shape s2, int count, MinkowskiPoint[] hull, int iteration) {
        int mini = 0;
        double minDist = Double.POSITIVE_INFINITY;
        for (int j = 0, i = count - 1; j < count; i = j, j++) {
            double d = closestDist(hull[i].ab(), hull[j].ab());
            if (d < minDist) {
                minDist = d;
                mini = i;
            }
        }
        MinkowskiPoint v0 = hull[mini];
        MinkowskiPoint v1 = hull[(mini + 1) % count];
        MinkowskiPoint p = support(s1, s2, v1.ab().sub(v0.ab()).perp());
        boolean duplicate = p.id() == v0.id() || p.id() == v1.id();
        if (!duplicate && Cp.checkPointGreater(v0.ab(), v1.ab(), p.ab()) && iteration < MAX_EPA_ITERATIONS) {
            MinkowskiPoint[] hull2 = new MinkowskiPoint[count + 1];
            int count2 = 1;
            hull2[0] = p;
            for (int i = 0; i < count; i++) {
                int index = (mini + 1 + i) % count;
                Vec h0 = hull2[count2 - 1].ab();
                Vec h1 = hull[index].ab();
                Vec h2 = (i + 1 < count ? hull[(index + 1) % count] : p).ab();
                if (Cp.checkPointGreater(h0, h2, h1)) hull2[count2++] = hull[index];
            }
            return epaRecurse(s1, s2, count2, hull2, iteration + 1);
        }
        return closestPoints(v0, v1);
    }

    // ---- GJK

    private static ClosestPoints gjkRecurse(Shape s1, Shape s2, MinkowskiPoint v0, MinkowskiPoint v1, int iteration) {
        while (true) {
            if (iteration > MAX_GJK_ITERATIONS) return closestPoints(v0, v1);
            if (Cp.checkPointGreater(v1.ab(), v0.ab(), Vec.ZERO)) {
                // Origin is behind the axis: flip and retry (same iteration).
                MinkowskiPoint t = v0;
                v0 = v1;
                v1 = t;
                continue;
            }
            double t = closestT(v0.ab(), v1.ab());
            Vec n = (-1.0 < t && t < 1.0) ? v1.ab().sub(v0.ab()).perp() : lerpT(v0.ab(), v1.ab(), t).neg();
            MinkowskiPoint p = support(s1, s2, n);
            if (Cp.checkPointGreater(p.ab(), v0.ab(), Vec.ZERO) && Cp.checkPointGreater(v1.ab(), p.ab(), Vec.ZERO)) {
                return epaRecurse(s1, s2, 3, new MinkowskiPoint[] {v0, p, v1}, 1);
            }
            if (Cp.checkAxis(v0.ab(), v1.ab(), p.ab(), n)) return closestPoints(v0, v1);
            if (closestDist(v0.ab(), p.ab()) < closestDist(p.ab(), v1.ab())) {
                v1 = p;
            } else {
                v0 = p;
            }
            iteration++;
        }
    }

    private static ClosestPoints gjk(Shape s1, Shape s2, Info info) {
        MinkowskiPoint v0, v1;
        int id = info.id;
        if (id != 0) {
            v0 = MinkowskiPoint.of(shapePoint(s1, (id >>> 24) & 0xFF), shapePoint(s2, (id >>> 16) & 0xFF));
            v1 = MinkowskiPoint.of(shapePoint(s1, (id >>> 8) & 0xFF), shapePoint(s2, id & 0xFF));
        } else {
            Vec axis = s1.bb.center().sub(s2.bb.center()).perp();
            v0 = support(s1, s2, axis);
            v1 = support(s1, s2, axis.neg());
        }
        ClosestPoints points = gjkRecurse(s1, s2, v0, v1, 1);
        info.id = points.id();
        return points;
    }

    // ---- contact clipping

    private static Edge supportEdgeForPoly(Poly poly, Vec n) {
        int count = poly.count;
        int i1 = polySupportPointIndex(poly, n);
        int i0 = (i1 - 1 + count) % count;
        int i2 = (i1 + 1) % count;
        long h = poly.hashid;
        if (n.dot(poly.tnormals[i1]) > n.dot(poly.tnormals[i2])) {
            return new Edge(new EdgePoint(poly.tverts[i0], Cp.hashPair(h, i0)),
                    new EdgePoint(poly.tverts[i1], Cp.hashPair(h, i1)), poly.r, poly.tnormals[i1]);
        }
        return new Edge(new EdgePoint(poly.tverts[i1], Cp.hashPair(h, i1)),
                new EdgePoint(poly.tverts[i2], Cp.hashPair(h, i2)), poly.r, poly.tnormals[i2]);
    }

    private static Edge supportEdgeForSegment(Segment seg, Vec n) {
        long h = seg.hashid;
        if (seg.tn.dot(n) > 0.0) {
            return new Edge(new EdgePoint(seg.ta, Cp.hashPair(h, 0)), new EdgePoint(seg.tb, Cp.hashPair(h, 1)), seg.r, seg.tn);
        }
        return new Edge(new EdgePoint(seg.tb, Cp.hashPair(h, 1)), new EdgePoint(seg.ta, Cp.hashPair(h, 0)), seg.r, seg.tn.neg());
    }

    private static void contactPoints(Edge e1, Edge e2, ClosestPoints points, Info info) {
        double mindist = e1.r() + e2.r();
        if (!(points.d() <= mindist)) return;
        Vec n = info.n = points.n();
        double dE1a = e1.a().p().cross(n);
        double dE1b = e1.b().p().cross(n);
        double dE2a = e2.a().p().cross(n);
        double dE2b = e2.b().p().cross(n);
        double e1Denom = 1.0 / (dE1b - dE1a + Double.MIN_NORMAL);
        double e2Denom = 1.0 / (dE2b - dE2a + Double.MIN_NORMAL);
        {
            Vec p1 = n.mult(e1.r()).add(Vec.lerp(e1.a().p(), e1.b().p(), Cp.clamp01((dE2b - dE1a) * e1Denom)));
            Vec p2 = n.mult(-e2.r()).add(Vec.lerp(e2.a().p(), e2.b().p(), Cp.clamp01((dE1a - dE2a) * e2Denom)));
            double dist = p2.sub(p1).dot(n);
            if (dist <= 0.0) info.push(p1, p2, Cp.hashPair(e1.a().hash(), e2.b().hash()));
        }
        {
            Vec p1 = n.mult(e1.r()).add(Vec.lerp(e1.a().p(), e1.b().p(), Cp.clamp01((dE2a - dE1a) * e1Denom)));
            Vec p2 = n.mult(-e2.r()).add(Vec.lerp(e2.a().p(), e2.b().p(), Cp.clamp01((dE1b - dE2a) * e2Denom)));
            double dist = p2.sub(p1).dot(n);
            if (dist <= 0.0) info.push(p1, p2, Cp.hashPair(e1.b().hash(), e2.a().hash()));
        }
    }

    // ---- pair functions

    private static void circleToPoly(Circle circle, Poly poly, Info info) {
        ClosestPoints points = gjk(circle, poly, info);
        if (points.d() <= circle.r + poly.r) {
            Vec n = info.n = points.n();
            info.push(points.a().add(n.mult(circle.r)), points.b().add(n.mult(poly.r)), 0L);
        }
    }

    private static void segmentToPoly(Segment seg, Poly poly, Info info) {
        ClosestPoints points = gjk(seg, poly, info);
        Vec n = points.n();
        // End-cap rejection needs neighbour tangents; the walls have none (zero), so the test always passes.
        if (points.d() - seg.r - poly.r <= 0.0) {
            contactPoints(supportEdgeForSegment(seg, n), supportEdgeForPoly(poly, n.neg()), points, info);
        }
    }

    private static void circleToSegment(Circle circle, Segment segment, Info info) {
        Vec segA = segment.ta, segB = segment.tb, center = circle.tc;
        Vec segDelta = segB.sub(segA);
        double closestT = Cp.clamp01(segDelta.dot(center.sub(segA)) / segDelta.lengthSq());
        Vec closest = segA.add(segDelta.mult(closestT));
        double mindist = circle.r + segment.r;
        Vec delta = closest.sub(center);
        double distsq = delta.lengthSq();
        if (distsq < mindist * mindist) {
            double dist = Math.sqrt(distsq);
            Vec n = info.n = dist != 0.0 ? delta.mult(1.0 / dist) : segment.tn;
            info.push(center.add(n.mult(circle.r)), closest.add(n.mult(-segment.r)), 0L);
        }
    }
}
