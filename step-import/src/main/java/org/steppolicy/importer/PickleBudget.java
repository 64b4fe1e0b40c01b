package org.steppolicy.importer;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.steppolicy.config.UserError;

/**
 * What one pickle may hold, so that a small hostile file cannot make the importer hang, recurse or exhaust memory.
 * A pickle is a program: a few kilobytes can build a million-deep nesting, a list that contains itself, or a
 * "billion laughs" of lists sharing lists (2^n paths in n memo references). None of that is dangerous while it stays
 * a graph; it becomes dangerous the moment something walks it as a tree (hashing a list, {@code toString},
 * {@link OmegaNode#plain}). So the limits are counted while loading (memo, stack, container and total elements,
 * integer digits), dict keys and set members must be hashable without looking inside them (as in Python: no lists,
 * dicts or sets), and before the object is handed out, {@link #checkTree} measures the tree it would expand to
 * without expanding it. The limits are far above what any real checkpoint pickle needs (a diffusion_policy
 * workspace pickle holds a few thousand objects, nested a few dozen deep).
 *
 * @param maxDepth        deepest nesting of containers, as a consumer walking the object would see it
 * @param maxElements     elements added to containers over the whole load, and the size of the expanded tree
 * @param maxContainer    elements in any one list, tuple, dict or set
 * @param maxMemo         memo entries
 * @param maxStack        values on the unpickler's stack at once
 * @param maxDigits       decimal digits of one integer (Python's own default limit for int(str))
 */
record PickleBudget(int maxDepth, long maxElements, int maxContainer, int maxMemo, int maxStack, int maxDigits) {

    static final PickleBudget CHECKPOINT = new PickleBudget(200, 10_000_000, 1_000_000, 1_000_000, 1_000_000, 4300);

    /** The most bytes of a binary (LONG1/LONG4) integer: {@link #maxDigits} decimal digits, log10(256) each byte. */
    int maxIntegerBytes() {
        return (int) (maxDigits / 2.408);
    }

    static UserError exceeded(String what) {
        return new UserError("refused to unpickle: " + what + " (a limit no real checkpoint reaches; a crafted file?)");
    }

    /**
     * A dict key or set member: Python refuses unhashable ones, and hashing a Java list, map or set walks all of it,
     * which is how a shared structure is expanded. Tuples, tensors and OmegaConf nodes hash by identity here.
     */
    static Object hashable(Object key) {
        if (key instanceof Collection<?> || key instanceof Map<?, ?>)
            throw new UserError("malformed pickle: a dict key or set member is a " + (key instanceof Map<?, ?> ? "dict" : key instanceof Set<?> ? "set" : "list")
                    + ", which is unhashable");
        return key;
    }

    /**
     * The tree {@code root} would expand to when walked (lists, tuples, dict keys and values, sets, an OmegaConf
     * node's content): deeper than {@link #maxDepth}, larger than {@link #maxElements} or cyclic is refused. Each
     * distinct container is visited once and its expanded size and height remembered, so the cost is that of the
     * graph, never of the tree; the walk keeps its own stack, so nesting cannot overflow the thread's.
     */
    void checkTree(Object root) {
        if (children(root) == null) return;
        Map<Object, long[]> done = new IdentityHashMap<>();      // container -> {expanded size, height}
        Map<Object, Boolean> onPath = new IdentityHashMap<>();
        Frame[] path = new Frame[maxDepth + 1];
        int top = 0;
        path[0] = new Frame(root, children(root));
        onPath.put(root, true);
        while (true) {
            Frame f = path[top];
            if (f.children.hasNext()) {
                Object c = f.children.next();
                Iterator<?> cc = children(c);
                long[] known;
                if (cc == null) {
                    f.add(1, 0);
                } else if ((known = done.get(c)) != null) {
                    f.add(known[0], (int) known[1]);
                } else if (onPath.containsKey(c)) {
                    throw new UserError("malformed pickle: a " + kind(c) + " contains itself (a reference cycle), which a checkpoint never holds");
                } else {
                    if (top == maxDepth) throw exceeded("containers nest more than " + maxDepth + " deep");
                    path[++top] = new Frame(c, cc);
                    onPath.put(c, true);
                }
            } else {
                done.put(f.node, new long[] {f.size, f.height});
                onPath.remove(f.node);
                if (top == 0) return;
                path[--top].add(f.size, f.height);
            }
        }
    }

    /** A container on the walk's path: its expanded size so far (itself included) and height. */
    private final class Frame {
        final Object node;
        final Iterator<?> children;
        long size = 1;
        int height = 1;

        Frame(Object node, Iterator<?> children) {
            this.node = node;
            this.children = children;
        }

        void add(long childSize, int childHeight) {
            size += childSize;
            height = Math.max(height, childHeight + 1);
            // Sizes are checked as they grow, so doubling shared halves can never overflow a long.
            if (size > maxElements) throw exceeded("it expands to more than " + maxElements + " elements (shared references)");
        }
    }

    /** What a consumer of the unpickled object walks into, or null for a leaf. */
    private static Iterator<?> children(Object o) {
        if (o instanceof List<?> l) return l.iterator();
        if (o instanceof Object[] t) return Arrays.asList(t).iterator();
        if (o instanceof Set<?> s) return s.iterator();
        if (o instanceof Map<?, ?> m) {
            Iterator<? extends Map.Entry<?, ?>> entries = m.entrySet().iterator();
            return new Iterator<Object>() {
                private Map.Entry<?, ?> pending;

                @Override public boolean hasNext() {
                    return pending != null || entries.hasNext();
                }

                @Override public Object next() {
                    if (pending != null) {
                        Object v = pending.getValue();
                        pending = null;
                        return v;
                    }
                    pending = entries.next();
                    return pending.getKey();
                }
            };
        }
        if (o instanceof OmegaNode n) return Collections.singletonList(n.content()).iterator();
        return null;
    }

    private static String kind(Object o) {
        return o instanceof Map<?, ?> ? "dict" : o instanceof Set<?> ? "set" : o instanceof OmegaNode ? "OmegaConf node"
                : o instanceof Object[] ? "tuple" : "list";
    }
}
