package org.steppolicy.importer;

import java.util.List;
import java.util.Map;
import org.steppolicy.config.UserError;

/**
 * A Hydra/OmegaConf config as saved in a diffusion_policy checkpoint: plain maps and lists whose values are stored
 * unresolved ({@code ${task.obs_dim}}, {@code ${eval:'${n_action_steps}+${n_latency_steps}'}}). Values are resolved
 * on request: absolute and relative ({@code ${.x}}) references and the {@code eval} resolver (via
 * {@link PyExpression}); other resolvers ({@code now}, {@code oc.env}) are reported, as the keys an importer reads
 * never use them.
 */
final class HydraConfig {
    private static final int MAX_DEPTH = 32;
    private final Map<String, Object> root;

    HydraConfig(Map<String, Object> root) {
        this.root = root;
    }

    boolean has(String key) {
        return raw(key) != MISSING;
    }

    /** The resolved value of a dotted key; null when the key is absent or None. */
    Object get(String key) {
        Object v = raw(key);
        return v == MISSING ? null : resolveValue(v, parentOf(key), 0, key);
    }

    int integer(String key) {
        Object v = get(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.intValue();
        throw new UserError("cfg " + key + " is " + describe(v) + ", expected an integer");
    }

    Integer integerOrNull(String key) {
        return get(key) == null ? null : integer(key);
    }

    double number(String key) {
        if (get(key) instanceof Number n) return n.doubleValue();
        throw new UserError("cfg " + key + " is " + describe(get(key)) + ", expected a number");
    }

    boolean bool(String key, boolean absent) {
        Object v = get(key);
        if (v == null && !has(key)) return absent;
        if (v instanceof Boolean b) return b;
        throw new UserError("cfg " + key + " is " + describe(v) + ", expected true or false");
    }

    String string(String key) {
        Object v = get(key);
        return v == null ? null : String.valueOf(v);
    }

    List<Integer> integers(String key) {
        if (!(get(key) instanceof List<?> l)) throw new UserError("cfg " + key + " is " + describe(get(key)) + ", expected a list of integers");
        return l.stream().map(o -> {
            if (o instanceof Number n) return n.intValue();
            throw new UserError("cfg " + key + " holds " + describe(o) + ", expected integers");
        }).toList();
    }

    private static final Object MISSING = new Object();

    private Object raw(String key) {
        Object node = root;
        for (String part : key.split("\\.")) {
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(part)) return MISSING;
            node = m.get(part);
        }
        return node;
    }

    private static String parentOf(String key) {
        int i = key.lastIndexOf('.');
        return i < 0 ? "" : key.substring(0, i);
    }

    private Object resolveValue(Object v, String parent, int depth, String key) {
        if (depth > MAX_DEPTH) throw new UserError("cfg " + key + ": interpolations nest too deeply (a cycle?)");
        if (v instanceof String s && s.contains("${")) return interpolate(s, parent, depth, key);
        if (v instanceof List<?> l) return l.stream().map(o -> resolveValue(o, parent, depth + 1, key)).toList();
        return v;
    }

    /** A string holding interpolations: a lone one keeps its value's type, a mix becomes a string (OmegaConf's rule). */
    private Object interpolate(String s, String parent, int depth, String key) {
        int start = s.indexOf("${");
        int end = matching(s, start, key);
        if (start == 0 && end == s.length() - 1) return single(s.substring(2, end), parent, depth, key);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (start >= 0) {
            end = matching(s, start, key);
            out.append(s, at, start).append(pyStr(single(s.substring(start + 2, end), parent, depth, key)));
            at = end + 1;
            start = s.indexOf("${", at);
        }
        return out.append(s.substring(at)).toString();
    }

    private static int matching(String s, int start, String key) {
        int level = 0;
        for (int i = start; i < s.length(); i++) {
            if (s.startsWith("${", i)) { level++; i++; }
            else if (s.charAt(i) == '}' && --level == 0) return i;
        }
        throw new UserError("cfg " + key + ": unbalanced interpolation '" + s + "'");
    }

    private Object single(String body, String parent, int depth, String key) {
        String b = body.trim();
        int colon = b.indexOf(':');
        if (colon > 0 && b.substring(0, colon).matches("[A-Za-z_][\\w.]*")) {
            String resolver = b.substring(0, colon);
            if (!resolver.equals("eval"))
                throw new UserError("cfg " + key + ": the resolver '" + resolver + "' cannot be resolved outside Hydra");
            String arg = b.substring(colon + 1).trim();
            if (arg.length() >= 2 && (arg.charAt(0) == '\'' || arg.charAt(0) == '"') && arg.charAt(arg.length() - 1) == arg.charAt(0))
                arg = arg.substring(1, arg.length() - 1);
            Object text = arg.contains("${") ? interpolate(arg, parent, depth + 1, key) : arg;
            try {
                return PyExpression.eval(text instanceof String t ? t : pyStr(text));
            } catch (IllegalArgumentException e) {
                throw new UserError("cfg " + key + ": " + e.getMessage());
            }
        }
        String ref = b;
        String base = "";
        if (ref.startsWith(".")) {   // relative: one dot is the node's own container, each more goes one up
            base = parent;
            int dots = 0;
            while (dots < ref.length() && ref.charAt(dots) == '.') dots++;
            for (int i = 1; i < dots; i++) base = parentOf(base);
            ref = ref.substring(dots);
        }
        String target = base.isEmpty() ? ref : base + "." + ref;
        Object v = raw(target);
        if (v == MISSING) throw new UserError("cfg " + key + ": interpolation ${" + body + "} names no key");
        return resolveValue(v, parentOf(target), depth + 1, target);
    }

    /** Python's str() of a value, as OmegaConf builds mixed strings. */
    private static String pyStr(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Double d && d == Math.rint(d) && !d.isInfinite()) return String.valueOf(d);
        return String.valueOf(v);
    }

    /** A value for a message: containers by kind and size, text cut short (a crafted cfg may hold megabytes). */
    private static String describe(Object v) {
        if (v == null) return "absent";
        if (v instanceof Map<?, ?> m) return "a dict of " + m.size() + " keys";
        if (v instanceof List<?> l && l.size() > 16) return "a list of " + l.size() + " items";
        String s = String.valueOf(v);
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "'";
    }
}
