package org.steppolicy.train.importer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
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
 * allocated, so a hostile length cannot exhaust memory. Errors are {@link UserError}s without the file name.
 */
public final class SafeUnpickler extends Unpickler {
    private final ByteArrayInputStream in;

    private SafeUnpickler(byte[] pickle) {
        this.in = new ByteArrayInputStream(pickle);
    }

    /** The object a pickle holds: maps, lists, tuples (Object[]), str, numbers, bytes, tensors, OmegaConf stand-ins. */
    public static Object load(byte[] pickle) {
        SafeUnpickler u = new SafeUnpickler(pickle);
        try {
            return u.load(u.in);
        } catch (UserError e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UserError("malformed pickle: " + oneLine(e));
        } finally {
            u.close();
        }
    }

    @Override
    protected Object dispatch(short key) throws IOException {
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
            case Opcodes.BINUNICODE, Opcodes.BINBYTES, Opcodes.BINSTRING, Opcodes.LONG4 -> checkLength(4);
            case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> checkLength(8);
            default -> { }
        }
        return super.dispatch(key);
    }

    /** The length prefix of the next argument must not exceed the bytes left. */
    private void checkLength(int width) {
        in.mark(width);
        long len = 0;
        for (int i = 0; i < width; i++) {
            int b = in.read();
            if (b < 0) throw new UserError("malformed pickle: truncated");
            len |= (long) b << (8 * i);
        }
        in.reset();
        if (len < 0 || len > in.available() - width) throw new UserError("malformed pickle: a length of " + len + " bytes runs past its end");
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

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
