package org.steppolicy.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;

/**
 * The first place two JSON trees differ, for one-line refusals ("down_dims[1]: 16 in checkpoint, 32 in config").
 * Numbers compare with a relative tolerance of 1e-6, so a normaliser written as float and refit in double still agrees.
 */
final class JsonDifference {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonDifference() {}

    /** {@code json} (written by this program, so well formed) as a tree for {@link #first}. */
    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "path: a in aName, b in bName" for the first difference, depth first in b's key order; null when equal. */
    static String first(JsonNode a, JsonNode b, String aName, String bName) {
        return first("", a, b, aName, bName);
    }

    private static String first(String path, JsonNode a, JsonNode b, String aName, String bName) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble(), y = b.asDouble();
            return Math.abs(x - y) <= 1e-6 * Math.max(1, Math.max(Math.abs(x), Math.abs(y))) ? null : say(path, a, b, aName, bName);
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return say(path, a.size() + " values", b.size() + " values", aName, bName);
            for (int i = 0; i < a.size(); i++) {
                String d = first(path + "[" + i + "]", a.get(i), b.get(i), aName, bName);
                if (d != null) return d;
            }
            return null;
        }
        if (a.isObject() && b.isObject()) {
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String p = path.isEmpty() ? k : path + "." + k;
                if (!a.has(k)) return say(p, "absent", b.get(k), aName, bName);
                String d = first(p, a.get(k), b.get(k), aName, bName);
                if (d != null) return d;
            }
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!b.has(k)) return say(path.isEmpty() ? k : path + "." + k, a.get(k), "absent", aName, bName);
            }
            return null;
        }
        return a.equals(b) ? null : say(path, a, b, aName, bName);
    }

    private static String say(String path, Object a, Object b, String aName, String bName) {
        return (path.isEmpty() ? "value" : path) + ": " + a + " in " + aName + ", " + b + " in " + bName;
    }
}
