package org.steppolicy.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The small Python expressions diffusion_policy's configs pass to Hydra's {@code ${eval:...}} resolver, e.g.
 * {@code 20*2 if True else None} or {@code 8+0}: literals (int, float, str, True, False, None, lists), arithmetic,
 * comparisons, {@code and/or/not} and the conditional expression. Evaluated here, never by Python, and nothing else is
 * accepted (no names, calls or attributes).
 */
final class PyExpression {
    private final String src;
    private int pos;

    private PyExpression(String src) {
        this.src = src;
    }

    /** Long, Double, Boolean, String, List or null; IllegalArgumentException for anything outside the subset. */
    static Object eval(String expression) {
        PyExpression p = new PyExpression(expression);
        Supplier<Object> e = p.conditional();
        p.skipSpace();
        if (p.pos != p.src.length()) throw p.error("unexpected '" + p.src.substring(p.pos) + "'");
        return e.get();
    }

    private Supplier<Object> conditional() {
        Supplier<Object> body = or();
        if (!keyword("if")) return body;
        Supplier<Object> cond = or();
        if (!keyword("else")) throw error("'if' without 'else'");
        Supplier<Object> other = conditional();
        return () -> truthy(cond.get()) ? body.get() : other.get();
    }

    private Supplier<Object> or() {
        Supplier<Object> a = and();
        while (keyword("or")) {
            Supplier<Object> l = a, r = and();
            a = () -> { Object v = l.get(); return truthy(v) ? v : r.get(); };
        }
        return a;
    }

    private Supplier<Object> and() {
        Supplier<Object> a = not();
        while (keyword("and")) {
            Supplier<Object> l = a, r = not();
            a = () -> { Object v = l.get(); return truthy(v) ? r.get() : v; };
        }
        return a;
    }

    private Supplier<Object> not() {
        if (keyword("not")) {
            Supplier<Object> v = not();
            return () -> !truthy(v.get());
        }
        return comparison();
    }

    private Supplier<Object> comparison() {
        Supplier<Object> a = arith();
        for (String op; (op = symbol("==", "!=", "<=", ">=", "<", ">")) != null; ) {
            Supplier<Object> l = a, r = arith();
            String o = op;
            a = () -> compare(o, l.get(), r.get());
        }
        return a;
    }

    private Supplier<Object> arith() {
        Supplier<Object> a = term();
        for (String op; (op = symbol("+", "-")) != null; ) {
            Supplier<Object> l = a, r = term();
            String o = op;
            a = () -> binary(o, l.get(), r.get());
        }
        return a;
    }

    private Supplier<Object> term() {
        Supplier<Object> a = unary();
        for (String op; (op = symbol("//", "*", "/", "%")) != null; ) {
            if (op.equals("*") && peek('*')) throw error("'**' after '*'");
            Supplier<Object> l = a, r = unary();
            String o = op;
            a = () -> binary(o, l.get(), r.get());
        }
        return a;
    }

    private Supplier<Object> unary() {
        String op = symbol("-", "+");
        if (op == null) return power();
        Supplier<Object> v = unary();
        return op.equals("-") ? () -> binary("-", 0L, v.get()) : v;
    }

    private Supplier<Object> power() {
        Supplier<Object> base = atom();
        if (symbol("**") == null) return base;
        Supplier<Object> exp = unary();
        return () -> {
            Object b = base.get(), e = exp.get();
            if (isInt(b) && isInt(e) && asLong(e) >= 0) return (long) Math.pow(asLong(b), asLong(e));
            return Math.pow(asDouble(b), asDouble(e));
        };
    }

    private Supplier<Object> atom() {
        skipSpace();
        if (pos >= src.length()) throw error("expression ends early");
        char c = src.charAt(pos);
        if (c == '(') {
            pos++;
            Supplier<Object> e = conditional();
            if (symbol(")") == null) throw error("missing ')'");
            return e;
        }
        if (c == '[') {
            pos++;
            List<Supplier<Object>> items = new ArrayList<>();
            if (symbol("]") == null) {
                do items.add(conditional()); while (symbol(",") != null && !peek(']'));
                if (symbol("]") == null) throw error("missing ']'");
            }
            return () -> items.stream().map(Supplier::get).toList();
        }
        if (c == '\'' || c == '"') {
            int end = src.indexOf(c, pos + 1);
            if (end < 0) throw error("unterminated string");
            String s = src.substring(pos + 1, end);
            pos = end + 1;
            return () -> s;
        }
        if (Character.isDigit(c) || c == '.') {
            int start = pos;
            while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.'
                    || ((src.charAt(pos) == '+' || src.charAt(pos) == '-') && Character.toLowerCase(src.charAt(pos - 1)) == 'e')))
                pos++;
            String num = src.substring(start, pos).replace("_", "");
            try {
                if (num.matches("\\d+")) { long v = Long.parseLong(num); return () -> v; }
                double v = Double.parseDouble(num);
                return () -> v;
            } catch (NumberFormatException e) {
                throw error("bad number '" + num + "'");
            }
        }
        if (keyword("True")) return () -> Boolean.TRUE;
        if (keyword("False")) return () -> Boolean.FALSE;
        if (keyword("None")) return () -> null;
        throw error("unsupported '" + src.substring(pos) + "' (only literals and operators are evaluated)");
    }

    private static Object compare(String op, Object a, Object b) {
        if (op.equals("==")) return equal(a, b);
        if (op.equals("!=")) return !equal(a, b);
        int c = a instanceof String x && b instanceof String y ? x.compareTo(y) : Double.compare(asDouble(a), asDouble(b));
        return switch (op) {
            case "<" -> c < 0;
            case ">" -> c > 0;
            case "<=" -> c <= 0;
            default -> c >= 0;
        };
    }

    private static boolean equal(Object a, Object b) {
        if (a == null || b == null) return a == b;
        if (isNumber(a) && isNumber(b)) return asDouble(a) == asDouble(b);
        return a.equals(b);
    }

    private static Object binary(String op, Object a, Object b) {
        if (op.equals("+") && a instanceof String x && b instanceof String y) return x + y;
        if (op.equals("+") && a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        if (!isNumber(a) || !isNumber(b)) throw new IllegalArgumentException("cannot apply '" + op + "' to " + a + " and " + b);
        if (op.equals("/")) return asDouble(a) / asDouble(b);
        if (isInt(a) && isInt(b)) {
            long x = asLong(a), y = asLong(b);
            return switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "//" -> Math.floorDiv(x, y);
                default -> Math.floorMod(x, y);
            };
        }
        double x = asDouble(a), y = asDouble(b);
        return switch (op) {
            case "+" -> x + y;
            case "-" -> x - y;
            case "*" -> x * y;
            case "//" -> Math.floor(x / y);
            default -> x - Math.floor(x / y) * y;
        };
    }

    static boolean truthy(Object v) {
        if (v == null) return false;
        if (v instanceof Boolean b) return b;
        if (isNumber(v)) return asDouble(v) != 0;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof List<?> l) return !l.isEmpty();
        return true;
    }

    private static boolean isNumber(Object v) {
        return v instanceof Number || v instanceof Boolean;
    }

    private static boolean isInt(Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Boolean;
    }

    private static long asLong(Object v) {
        return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
    }

    private static double asDouble(Object v) {
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (v instanceof Number n) return n.doubleValue();
        throw new IllegalArgumentException("not a number: " + v);
    }

    private boolean keyword(String w) {
        skipSpace();
        int end = pos + w.length();
        if (!src.startsWith(w, pos) || (end < src.length() && (Character.isLetterOrDigit(src.charAt(end)) || src.charAt(end) == '_')))
            return false;
        pos = end;
        return true;
    }

    private String symbol(String... options) {
        skipSpace();
        for (String s : options) {
            if (src.startsWith(s, pos)) {
                pos += s.length();
                return s;
            }
        }
        return null;
    }

    private boolean peek(char c) {
        skipSpace();
        return pos < src.length() && src.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
    }

    private IllegalArgumentException error(String why) {
        return new IllegalArgumentException("cannot evaluate '" + src + "': " + why);
    }
}
