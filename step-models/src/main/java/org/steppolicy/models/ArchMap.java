package org.steppolicy.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed reads of a meta.json "arch" map; a missing or mistyped key is an IllegalArgumentException naming it. */
final class ArchMap {
    private ArchMap() {}

    static int integer(Map<String, Object> a, String key) {
        if (!(a.get(key) instanceof Number n)) throw new IllegalArgumentException("meta.json arch lacks " + key);
        return n.intValue();
    }

    static double number(Map<String, Object> a, String key) {
        if (!(a.get(key) instanceof Number n)) throw new IllegalArgumentException("meta.json arch lacks " + key);
        return n.doubleValue();
    }

    static List<Integer> integers(Map<String, Object> a, String key) {
        if (!(a.get(key) instanceof List<?> l)) throw new IllegalArgumentException("meta.json arch lacks " + key);
        List<Integer> out = new ArrayList<>();
        for (Object o : l) out.add(((Number) o).intValue());
        return out;
    }
}
