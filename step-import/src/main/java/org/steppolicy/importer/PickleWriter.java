package org.steppolicy.importer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Emits pickle protocol 2, opcode by opcode, as Python's pickler writes it for the objects of a workspace checkpoint
 * (no memo: nothing is shared). Used by {@link DiffusionPolicyCheckpointWriter}; the caller composes objects from
 * these opcodes.
 */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter proto() {
        out.write(0x80);
        out.write(2);
        return this;
    }

    PickleWriter stop() {
        out.write('.');
        return this;
    }

    PickleWriter mark() { out.write('('); return this; }
    PickleWriter emptyDict() { out.write('}'); return this; }
    PickleWriter setItems() { out.write('u'); return this; }
    PickleWriter emptyList() { out.write(']'); return this; }
    PickleWriter appends() { out.write('e'); return this; }
    PickleWriter emptyTuple() { out.write(')'); return this; }
    /** Everything since the last {@link #mark()} as a tuple. */
    PickleWriter tuple() { out.write('t'); return this; }
    PickleWriter reduce() { out.write('R'); return this; }
    PickleWriter newObj() { out.write(0x81); return this; }
    PickleWriter build() { out.write('b'); return this; }
    PickleWriter binPersId() { out.write('Q'); return this; }
    PickleWriter none() { out.write('N'); return this; }

    PickleWriter bool(boolean b) {
        out.write(b ? 0x88 : 0x89);
        return this;
    }

    PickleWriter global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.writeBytes(b);
        return this;
    }

    PickleWriter integer(long v) {
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write('J');
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
        } else {   // LONG1: 8 bytes two's complement
            out.write(0x8a);
            out.write(8);
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }
        return this;
    }

    PickleWriter floating(double v) {
        out.write('G');
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array());
        return this;
    }

    /** Protocol 2's bytes: {@code _codecs.encode(latin-1 text, 'latin1')}. */
    PickleWriter bytes(byte[] b) {
        global("_codecs", "encode").mark().string(new String(b, StandardCharsets.ISO_8859_1)).string("latin1").tuple().reduce();
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** A protocol-4 pickle of one small int, as dill writes {@code pickles['global_step']}. */
    static byte[] protocol4Int(int v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x80).put((byte) 4).put((byte) 'J').putInt(v).put((byte) '.');
        return b.array();
    }
}
