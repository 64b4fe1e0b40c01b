package org.steppolicy.importer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OmegaConf object as unpickled (DictConfig, ListConfig, a value node or a metadata record). Nothing of OmegaConf
 * runs: the pickle's BUILD only hands over the object's {@code __dict__}, from which {@link #plain} reads the values.
 */
final class OmegaNode {
    enum Kind { DICT, LIST, VALUE, METADATA }

    private final Kind kind;
    private final String className;
    private Map<?, ?> state = Map.of();

    OmegaNode(Kind kind, String className) {
        this.kind = kind;
        this.className = className;
    }

    /** The BUILD opcode: a state dict, or (state, slots) for classes with __slots__. */
    void build(Object s) {
        if (s instanceof Object[] pair && pair.length == 2 && pair[0] instanceof Map<?, ?> m) s = m;
        if (!(s instanceof Map<?, ?> m)) throw new IllegalArgumentException("OmegaConf " + className + " state is not a dict");
        state = m;
    }

    /** What {@link #plain} reads of the node: a value node's value, a container's content, nothing of metadata. */
    Object content() {
        return switch (kind) {
            case VALUE -> state.get("_val");
            case DICT, LIST -> state.get("_content");
            case METADATA -> null;
        };
    }

    /**
     * The node as plain Java values: DictConfig to an ordered map, ListConfig to a list, a value node to its value
     * (str, int, float, bool or None; interpolations stay strings). {@code _parent} links are never followed, so
     * the pickle's reference cycles do not matter.
     */
    static Object plain(Object o) {
        if (o instanceof OmegaNode n) return plain(n.content());
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), plain(e.getValue()));
            return out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object v : l) out.add(plain(v));
            return out;
        }
        if (o instanceof Object[] t) {
            List<Object> out = new ArrayList<>();
            for (Object v : t) out.add(plain(v));
            return out;
        }
        return o;
    }
}
