package org.steppolicy.sim.physics;

import java.util.ArrayList;
import java.util.List;

/**
 * Chipmunk's bounding-box tree broad phase (cpBBTree.c), reduced to what a space needs. It matters for fidelity:
 * the order in which it reports pairs is the order of the arbiters in the sequential-impulse solver, and its pairs
 * carry the cached GJK ids. Leaves of the dynamic tree get fattened boxes (10% plus 0.1 s of velocity) and are only
 * reinserted when a shape leaves its box.
 */
final class BBTree {
    /** Called for each candidate pair; returns the collision id to cache (cpSpatialIndexQueryFunc). */
    interface PairFunc {
        int collide(Shape a, Shape b, int id);
    }

    private static final class Node {
        Shape obj; // non-null for leaves
        BB bb;
        Node parent;
        Node a, b;     // children of internal nodes
        long stamp;    // leaves
        Pair pairs;    // leaves

        boolean isLeaf() { return obj != null; }
    }

    private static final class Thread {
        Pair prev, next;
        Node leaf;
    }

    private static final class Pair {
        final Thread a = new Thread(), b = new Thread();
        int id;
    }

    /** (float) 0.1 as Chipmunk writes it (0.1f), promoted to double. */
    private static final double FAT_COEF = 0.1f;

    private final boolean velocityFat;
    private BBTree staticIndex;   // set on the dynamic tree
    private BBTree dynamicIndex;  // set on the static tree
    private Node root;
    private long stamp;
    /** Leaves in cpHashSet iteration order (bins by hashid mod table size, newest first within a bin). */
    private final List<Node> leaves = new ArrayList<>();

    private BBTree(boolean velocityFat) { this.velocityFat = velocityFat; }

    /** A static tree and its dynamic tree, linked like cpSpaceInit links them. Returns {static, dynamic}. */
    static BBTree[] newPair() {
        BBTree st = new BBTree(false);
        BBTree dyn = new BBTree(true);
        dyn.staticIndex = st;
        st.dynamicIndex = dyn;
        return new BBTree[] {st, dyn};
    }

    private BBTree master() { return dynamicIndex != null ? dynamicIndex : this; }

    private void incrementStamp() { master().stamp++; }

    private BB getBB(Shape s) {
        BB bb = s.bb;
        if (!velocityFat) return bb;
        double x = (bb.r() - bb.l()) * FAT_COEF;
        double y = (bb.t() - bb.b()) * FAT_COEF;
        double vx = s.body.vx * FAT_COEF, vy = s.body.vy * FAT_COEF;
        return new BB(bb.l() + Cp.fmin(-x, vx), bb.b() + Cp.fmin(-y, vy), bb.r() + Cp.fmax(x, vx), bb.t() + Cp.fmax(y, vy));
    }

    // ---- pairs

    private static Thread threadFor(Pair p, Node leaf) { return p.a.leaf == leaf ? p.a : p.b; }

    private static void threadUnlink(Thread t) {
        Pair next = t.next, prev = t.prev;
        if (next != null) threadFor(next, t.leaf).prev = prev;
        if (prev != null) {
            threadFor(prev, t.leaf).next = next;
        } else {
            t.leaf.pairs = next;
        }
    }

    private static void pairsClear(Node leaf) {
        Pair pair = leaf.pairs;
        leaf.pairs = null;
        while (pair != null) {
            if (pair.a.leaf == leaf) {
                Pair next = pair.a.next;
                threadUnlink(pair.b);
                pair = next;
            } else {
                Pair next = pair.b.next;
                threadUnlink(pair.a);
                pair = next;
            }
        }
    }

    private static void pairInsert(Node a, Node b) {
        Pair nextA = a.pairs, nextB = b.pairs;
        Pair pair = new Pair();
        pair.a.leaf = a;
        pair.a.next = nextA;
        pair.b.leaf = b;
        pair.b.next = nextB;
        a.pairs = pair;
        b.pairs = pair;
        if (nextA != null) threadFor(nextA, a).prev = pair;
        if (nextB != null) threadFor(nextB, b).prev = pair;
    }

    // ---- tree structure

    private static Node nodeNew(Node a, Node b) {
        Node n = new Node();
        n.bb = a.bb.merge(b.bb);
        n.a = a;
        a.parent = n;
        n.b = b;
        b.parent = n;
        return n;
    }

    private static Node other(Node node, Node child) { return node.a == child ? node.b : node.a; }

    private static void replaceChild(Node parent, Node child, Node value) {
        if (parent.a == child) {
            parent.a = value;
        } else {
            parent.b = value;
        }
        value.parent = parent;
        for (Node n = parent; n != null; n = n.parent) n.bb = n.a.bb.merge(n.b.bb);
    }

    private static Node subtreeInsert(Node subtree, Node leaf) {
        if (subtree == null) return leaf;
        if (subtree.isLeaf()) return nodeNew(leaf, subtree);
        double costA = subtree.b.bb.area() + subtree.a.bb.mergedArea(leaf.bb);
        double costB = subtree.a.bb.area() + subtree.b.bb.mergedArea(leaf.bb);
        if (costA == costB) {
            costA = subtree.a.bb.proximity(leaf.bb);
            costB = subtree.b.bb.proximity(leaf.bb);
        }
        if (costB < costA) {
            Node n = subtreeInsert(subtree.b, leaf);
            subtree.b = n;
            n.parent = subtree;
        } else {
            Node n = subtreeInsert(subtree.a, leaf);
            subtree.a = n;
            n.parent = subtree;
        }
        subtree.bb = subtree.bb.merge(leaf.bb);
        return subtree;
    }

    private static Node subtreeRemove(Node subtree, Node leaf) {
        if (leaf == subtree) return null;
        Node parent = leaf.parent;
        if (parent == subtree) {
            Node o = other(subtree, leaf);
            o.parent = subtree.parent;
            return o;
        }
        replaceChild(parent.parent, parent, other(parent, leaf));
        return subtree;
    }

    // ---- marking (pair discovery and reporting)

    private void markLeafQuery(Node subtree, Node leaf, boolean left, PairFunc func) {
        if (!leaf.bb.intersects(subtree.bb)) return;
        if (subtree.isLeaf()) {
            if (left) {
                pairInsert(leaf, subtree);
            } else {
                if (subtree.stamp < leaf.stamp) pairInsert(subtree, leaf);
                func.collide(leaf.obj, subtree.obj, 0); // the id of a new pair starts at 0 next step
            }
        } else {
            markLeafQuery(subtree.a, leaf, left, func);
            markLeafQuery(subtree.b, leaf, left, func);
        }
    }

    private void markLeaf(Node leaf, Node staticRoot, PairFunc func) {
        if (leaf.stamp == master().stamp) {
            if (staticRoot != null) markLeafQuery(staticRoot, leaf, false, func);
            for (Node node = leaf; node.parent != null; node = node.parent) {
                if (node == node.parent.a) {
                    markLeafQuery(node.parent.b, leaf, true, func);
                } else {
                    markLeafQuery(node.parent.a, leaf, false, func);
                }
            }
        } else {
            Pair pair = leaf.pairs;
            while (pair != null) {
                if (leaf == pair.b.leaf) {
                    pair.id = func.collide(pair.a.leaf.obj, leaf.obj, pair.id);
                    pair = pair.b.next;
                } else {
                    pair = pair.a.next;
                }
            }
        }
    }

    private void markSubtree(Node subtree, Node staticRoot, PairFunc func) {
        if (subtree.isLeaf()) {
            markLeaf(subtree, staticRoot, func);
        } else {
            markSubtree(subtree.a, staticRoot, func);
            markSubtree(subtree.b, staticRoot, func);
        }
    }

    // ---- public operations

    /** cpBBTreeInsert (the shape's bb must be current). */
    void insert(Shape s) {
        Node leaf = new Node();
        leaf.obj = s;
        leaf.bb = getBB(s);
        addToLeafSet(leaf);
        root = subtreeInsert(root, leaf);
        leaf.stamp = master().stamp;
        if (dynamicIndex != null) {
            if (dynamicIndex.root != null) dynamicIndex.markLeafQuery(dynamicIndex.root, leaf, true, (x, y, id) -> id);
        } else {
            markLeaf(leaf, staticIndex == null ? null : staticIndex.root, (x, y, id) -> id);
        }
        incrementStamp();
    }

    private static final int HASH_TABLE_SIZE = 5; // next_prime(0); never resized below 5 entries

    private void addToLeafSet(Node leaf) {
        if (leaves.size() + 1 >= HASH_TABLE_SIZE) {
            throw new IllegalStateException("leaf-set order emulation covers at most 4 shapes per tree");
        }
        int bin = leaf.obj.hashid % HASH_TABLE_SIZE;
        int at = 0;
        while (at < leaves.size() && leaves.get(at).obj.hashid % HASH_TABLE_SIZE < bin) at++;
        leaves.add(at, leaf); // new entries go to the head of their bin
    }

    private boolean leafUpdate(Node leaf) {
        if (leaf.bb.containsBB(leaf.obj.bb)) return false;
        leaf.bb = getBB(leaf.obj);
        root = subtreeInsert(subtreeRemove(root, leaf), leaf);
        pairsClear(leaf);
        leaf.stamp = master().stamp;
        return true;
    }

    /** cpBBTreeReindexQuery on the dynamic tree: refit moved leaves, then report every candidate pair once. */
    void reindexQuery(PairFunc func) {
        if (root == null) return;
        for (Node leaf : leaves) leafUpdate(leaf);
        markSubtree(root, staticIndex == null ? null : staticIndex.root, func);
        incrementStamp();
    }
}
