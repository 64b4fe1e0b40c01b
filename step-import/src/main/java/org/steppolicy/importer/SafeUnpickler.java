package org.steppolicy.importer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;
import org.steppolicy.config.UserError;

/**
 * Razorvine's unpickler with every way of naming a Python callable routed through {@link PickleGlobals}: GLOBAL and
 * STACK_GLOBAL resolve only allow-listed names, INST and the extension registry refuse outright, and BUILD only sets
 * the state of our own OmegaConf stand-ins. Persistent ids become {@link TorchTensor.Storage} records (torch.save's
 * {@code ('storage', type, key, location, numel)}). Lengths are checked against the bytes left before anything is
 * allocated, so a hostile length cannot exhaust memory. Containers, the memo, integers and the numeric text opcodes
 * are handled here rather than by Razorvine, so that {@link PickleBudget}'s limits are counted as the pickle runs
 * and no dict key or set member is ever hashed by its contents. Errors are one-line {@link UserError}s without the
 * file name.
 */
public final class SafeUnpickler extends Unpickler {
    /** A malformed pickle's message may quote what it read; a crafted one must not make a megabyte error line. */
    private static final int MAX_MESSAGE = 200;

    private final ByteArrayInputStream in;
    private final PickleBudget budget;
    private long elements;

    private SafeUnpickler(byte[] pickle, PickleBudget budget) {
        this.in = new ByteArrayInputStream(pickle);
        this.budget = budget;
    }

    /** The object a pickle holds: maps, lists, tuples (Object[]), str, numbers, bytes, tensors, OmegaConf stand-ins. */
    public static Object load(byte[] pickle) {
        return load(pickle, PickleBudget.CHECKPOINT);
    }

    static Object load(byte[] pickle, PickleBudget budget) {
        SafeUnpickler u = new SafeUnpickler(pickle, budget);
        try {
            Object o = u.load(u.in);
            budget.checkTree(o);
            return o;
        } catch (UserError e) {
            throw e;
        } catch (IndexOutOfBoundsException e) {
            throw new UserError("malformed pickle: an opcode takes more values than were pushed");
        } catch (IOException | RuntimeException e) {
            throw new UserError("malformed pickle: " + oneLine(e));
        } finally {
            u.close();
        }
    }

    @Override
    protected Object dispatch(short key) throws IOException {
        Object result = dispatchChecked(key);
        if (memo.size() > budget.maxMemo()) throw PickleBudget.exceeded("more than " + budget.maxMemo() + " memo entries");
        if (stack.size() > budget.maxStack()) throw PickleBudget.exceeded("more than " + budget.maxStack() + " values on its stack");
        return result;
    }

    private Object dispatchChecked(short key) throws IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input), name = PickleUtils.readline(input);
                stack.add(PickleGlobals.resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop(), module = stack.pop();
                if (!(module instanceof String m) || !(name instanceof String n)) throw new UserError("malformed pickle: STACK_GLOBAL without names");
                stack.add(PickleGlobals.resolve(m, n));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST -> {
                String module = PickleUtils.readline(input), name = PickleUtils.readline(input);
                throw PickleGlobals.refused(module + "." + name);
            }
            case Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4 -> throw PickleGlobals.refused("from the extension registry (EXT opcode)");
            case Opcodes.BUILD -> {
                Object state = stack.pop(), target = stack.peek();
                if (target instanceof OmegaNode n) n.build(state);
                else if (target instanceof Map<?, ?> m && state instanceof Map<?, ?> s && s.isEmpty()) { /* nothing to set */ }
                else throw new UserError("malformed pickle: BUILD on " + describe(target));
                return NO_RETURN_VALUE;
            }
            case Opcodes.REDUCE, Opcodes.NEWOBJ -> {
                Object args = stack.pop(), callable = stack.pop();
                if (!(callable instanceof IObjectConstructor c) || !(args instanceof Object[] a))
                    throw new UserError("malformed pickle: REDUCE on " + describe(callable));
                stack.add(c.construct(a));
                return NO_RETURN_VALUE;
            }
            case Opcodes.BINUNICODE, Opcodes.BINBYTES, Opcodes.BINSTRING -> checkLength(4);
            case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> checkLength(8);
            case Opcodes.LONG4 -> {
                // BigInteger's conversions are quadratic: a megabyte integer would take minutes
                if (checkLength(4) > budget.maxIntegerBytes())
                    throw PickleBudget.exceeded("an integer of more than " + budget.maxDigits() + " digits");
            }
            case Opcodes.INT -> {
                String s = line(budget.maxDigits() + 1, "an integer of more than " + budget.maxDigits() + " digits");
                stack.add(s.equals("00") ? Boolean.FALSE : s.equals("01") ? Boolean.TRUE : integer(s));
                return NO_RETURN_VALUE;
            }
            case Opcodes.LONG -> {
                String s = line(budget.maxDigits() + 2, "an integer of more than " + budget.maxDigits() + " digits");
                stack.add(integer(s.endsWith("L") ? s.substring(0, s.length() - 1) : s));
                return NO_RETURN_VALUE;
            }
            case Opcodes.FLOAT -> {
                String s = line(64, "a FLOAT argument longer than 64 characters");
                try {
                    stack.add(Double.parseDouble(s));
                } catch (NumberFormatException e) {
                    throw new UserError("malformed pickle: FLOAT argument '" + clip(s) + "' is not a number");
                }
                return NO_RETURN_VALUE;
            }
            case Opcodes.GET -> {
                int i = memoIndex();
                if (!memo.containsKey(i)) throw new UserError("malformed pickle: GET of memo entry " + i + ", which was never PUT");
                stack.add(memo.get(i));
                return NO_RETURN_VALUE;
            }
            case Opcodes.PUT -> {
                memo.put(memoIndex(), stack.peek());
                return NO_RETURN_VALUE;
            }
            case Opcodes.EMPTY_LIST -> {
                stack.add(new ArrayList<>());
                return NO_RETURN_VALUE;
            }
            case Opcodes.EMPTY_DICT -> {
                stack.add(new LinkedHashMap<>());
                return NO_RETURN_VALUE;
            }
            case Opcodes.EMPTY_SET -> {
                stack.add(new LinkedHashSet<>());
                return NO_RETURN_VALUE;
            }
            case Opcodes.LIST -> {
                List<Object> items = stack.pop_all_since_marker();
                stack.add(filled(new ArrayList<>(), items));
                return NO_RETURN_VALUE;
            }
            case Opcodes.TUPLE -> {
                List<Object> items = stack.pop_all_since_marker();
                charge(items.size(), items.size());
                stack.add(items.toArray());
                return NO_RETURN_VALUE;
            }
            case Opcodes.TUPLE1, Opcodes.TUPLE2, Opcodes.TUPLE3 -> {
                Object[] t = new Object[key - Opcodes.TUPLE1 + 1];
                for (int i = t.length - 1; i >= 0; i--) t[i] = stack.pop();
                charge(t.length, t.length);
                stack.add(t);
                return NO_RETURN_VALUE;
            }
            case Opcodes.FROZENSET -> {
                stack.add(filled(new LinkedHashSet<>(), stack.pop_all_since_marker()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.DICT -> {
                stack.add(filled(new LinkedHashMap<>(), stack.pop_all_since_marker()));
                return NO_RETURN_VALUE;
            }
            case Opcodes.APPEND -> {
                Object v = stack.pop();
                filled(stack.peek(), Collections.singletonList(v));
                return NO_RETURN_VALUE;
            }
            case Opcodes.APPENDS, Opcodes.SETITEMS, Opcodes.ADDITEMS -> {
                List<Object> items = stack.pop_all_since_marker();
                filled(stack.peek(), items);
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEM -> {
                Object v = stack.pop(), k = stack.pop();
                filled(stack.peek(), Arrays.asList(k, v));
                return NO_RETURN_VALUE;
            }
            default -> { }
        }
        return super.dispatch(key);
    }

    /**
     * Adds {@code items} to a list, set or dict (key, value pairs) as APPEND(S), ADDITEMS and SETITEM(S) do, after
     * charging them to the budget; keys and members must be hashable without walking them.
     */
    @SuppressWarnings("unchecked")
    private Object filled(Object target, List<Object> items) {
        if (target instanceof List<?> l) {
            charge(items.size(), l.size() + items.size());
            ((List<Object>) l).addAll(items);
        } else if (target instanceof Set<?> s) {
            charge(items.size(), s.size() + items.size());
            for (Object o : items) ((Set<Object>) s).add(PickleBudget.hashable(o));
        } else if (target instanceof Map<?, ?> m) {
            if (items.size() % 2 != 0) throw new UserError("malformed pickle: a dict built from an odd number of keys and values");
            charge(items.size() / 2, m.size() + items.size() / 2);
            for (int i = 0; i < items.size(); i += 2) ((Map<Object, Object>) m).put(PickleBudget.hashable(items.get(i)), items.get(i + 1));
        } else {
            throw new UserError("malformed pickle: adds items to a " + describe(target));
        }
        return target;
    }

    /** {@code n} more elements over the whole load, into a container that then holds {@code size}. */
    private void charge(int n, long size) {
        elements += n;
        if (elements > budget.maxElements()) throw PickleBudget.exceeded("more than " + budget.maxElements() + " elements");
        if (size > budget.maxContainer()) throw PickleBudget.exceeded("a container of more than " + budget.maxContainer() + " elements");
    }

    /** The argument line of a text opcode, refused once longer than {@code max}: its length is the pickle's to choose. */
    private String line(int max, String tooLong) {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new UserError("malformed pickle: truncated");
            if (sb.length() == max) throw PickleBudget.exceeded(tooLong);
            sb.append((char) b);
        }
        return sb.toString();
    }

    private int memoIndex() {
        String s = line(11, "a memo index longer than 11 digits");
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UserError("malformed pickle: memo index '" + clip(s) + "' is not a number");
        }
    }

    /** A decimal integer as Razorvine gives it: int when it fits, else long, else BigInteger. */
    private static Number integer(String s) {
        try {
            Number n = PickleUtils.optimizeBigint(new BigInteger(s));
            return n instanceof Long l && l == l.intValue() ? (Number) l.intValue() : n;
        } catch (NumberFormatException e) {
            throw new UserError("malformed pickle: integer argument '" + clip(s) + "' is not a number");
        }
    }

    /** The length prefix of the next argument, which must not exceed the bytes left. */
    private long checkLength(int width) {
        in.mark(width);
        long len = 0;
        for (int i = 0; i < width; i++) {
            int b = in.read();
            if (b < 0) throw new UserError("malformed pickle: truncated");
            len |= (long) b << (8 * i);
        }
        in.reset();
        if (len < 0 || len > in.available() - width) throw new UserError("malformed pickle: a length of " + len + " bytes runs past its end");
        return len;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (pid instanceof Object[] t && t.length == 5 && "storage".equals(t[0]) && t[1] instanceof PickleGlobals.StorageType type
                && t[2] instanceof String key && t[4] instanceof Number numel && numel.longValue() >= 0)
            return new TorchTensor.Storage(key, type.dtype(), numel.longValue());
        throw new UserError("malformed pickle: unknown persistent id " + describe(pid));
    }

    private static String describe(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }

    /** A quoted argument, cut short: the message names it, it need not reproduce it. */
    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.length() > MAX_MESSAGE) m = m.substring(0, MAX_MESSAGE) + "...";
        return m.replaceAll("\\s+", " ").trim();
    }
}
