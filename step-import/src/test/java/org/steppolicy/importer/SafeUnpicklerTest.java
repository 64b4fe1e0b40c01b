package org.steppolicy.importer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;

/** Unpickling resolves only allow-listed globals: a pickle naming anything else is refused and runs nothing. */
class SafeUnpicklerTest {
    @TempDir
    Path tmp;

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Protocol 0, as an attacker would write it: {@code os.system('touch MARKER')}. */
    private byte[] osSystem(Path marker) {
        return ascii("cos\nsystem\n(S'touch " + marker + "'\ntR.");
    }

    @Test
    void osSystemIsRefusedAndNothingRuns() {
        Path marker = tmp.resolve("pwned");
        UserError e = assertThrows(UserError.class, () -> SafeUnpickler.load(osSystem(marker)));
        assertTrue(e.getMessage().contains("os.system"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(Files.exists(marker));
    }

    @Test
    void everyWayOfNamingACallableIsChecked() {
        // protocol 4 STACK_GLOBAL: SHORT_BINUNICODE 'posix', 'system', STACK_GLOBAL, ...
        byte[] stackGlobal = {(byte) 0x80, 4, (byte) 0x8c, 5, 'p', 'o', 's', 'i', 'x', (byte) 0x8c, 6, 's', 'y', 's', 't', 'e', 'm',
                (byte) 0x93, (byte) 0x8c, 2, 'l', 's', (byte) 0x85, 'R', '.'};
        assertTrue(assertThrows(UserError.class, () -> SafeUnpickler.load(stackGlobal)).getMessage().contains("posix.system"));
        // INST names the class inline
        UserError inst = assertThrows(UserError.class, () -> SafeUnpickler.load(ascii("(S'ls'\nios\nsystem\n.")));
        assertTrue(inst.getMessage().contains("os.system"), inst.getMessage());
        // builtins are allowed as types only, never eval/exec/getattr
        assertTrue(assertThrows(UserError.class, () -> SafeUnpickler.load(ascii("c__builtin__\neval\n(S'1'\ntR."))).getMessage()
                .contains("__builtin__.eval"));
        // dill's type loader only for builtin data types
        UserError dill = assertThrows(UserError.class, () -> SafeUnpickler.load(ascii("cdill._dill\n_load_type\n(S'CodeType'\ntR.")));
        assertTrue(dill.getMessage().contains("CodeType"), dill.getMessage());
        // the extension registry could map a number to any callable
        assertThrows(UserError.class, () -> SafeUnpickler.load(new byte[] {(byte) 0x80, 2, (byte) 0x82, 1, '.'}));
        // an allowed stand-in is not a way to call things either: OrderedDict with odd arguments
        assertThrows(UserError.class, () -> SafeUnpickler.load(ascii("ccollections\nOrderedDict\n(S'x'\nI1\ntR.")));
    }

    @Test
    void hostileLengthsAreRejectedBeforeAllocating() {
        // BINUNICODE claiming 2 GB in a 10-byte pickle
        byte[] p = {(byte) 0x80, 2, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'a', '.'};
        assertTrue(assertThrows(UserError.class, () -> SafeUnpickler.load(p)).getMessage().contains("runs past its end"));
        assertThrows(UserError.class, () -> SafeUnpickler.load(new byte[] {(byte) 0x80, 2}));   // no STOP
    }

    @Test
    void allowListedCheckpointObjectsLoad() {
        PickleWriter w = new PickleWriter().proto().emptyDict().mark();
        w.string("od").global("collections", "OrderedDict").emptyTuple().reduce();
        w.string("dd").global("collections", "defaultdict").mark().global("builtins", "dict").tuple().reduce();
        w.string("b").bytes(new byte[] {(byte) 0x80, 4, 'K', 3, '.'});
        w.string("t").global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().string("storage").global("torch", "HalfStorage").string("7").string("cpu").integer(6).tuple().binPersId()
                .integer(1).mark().integer(2).integer(2).tuple().mark().integer(1).integer(2).tuple().bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
        w.string("any").global("typing", "Any");
        Object o = SafeUnpickler.load(w.setItems().stop().toByteArray());
        Map<?, ?> m = assertInstanceOf(Map.class, o);
        assertInstanceOf(Map.class, m.get("od"));
        assertInstanceOf(Map.class, m.get("dd"));
        assertArrayEquals(new byte[] {(byte) 0x80, 4, 'K', 3, '.'}, (byte[]) m.get("b"));
        TorchTensor t = assertInstanceOf(TorchTensor.class, m.get("t"));
        assertEquals(Dtype.F16, t.storage().dtype());
        assertArrayEquals(new long[] {2, 2}, t.shape());
        assertArrayEquals(new long[] {1, 2}, t.stride());
        // a transposed half-precision view: element (i, j) at 1 + i + 2j
        byte[] raw = new byte[12];
        short[] halves = {0x3c00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600};   // 1 2 3 4 5 6
        for (int i = 0; i < 6; i++) { raw[2 * i] = (byte) halves[i]; raw[2 * i + 1] = (byte) (halves[i] >> 8); }
        assertArrayEquals(new float[] {2, 4, 3, 5}, Dtype.F16.toFloats(raw, t.offset(), t.shape(), t.stride()));
        assertEquals(-2f, Dtype.BF16.read(java.nio.ByteBuffer.wrap(new byte[] {0x00, (byte) 0xc0}).order(java.nio.ByteOrder.LITTLE_ENDIAN), 0));
    }

    @Test
    void aCheckpointNamingOsSystemIsRefusedWithItsFileAndNothingIsWritten() throws IOException {
        Path marker = tmp.resolve("pwned");
        Path ckpt = tmp.resolve("evil.ckpt");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(osSystem(marker));
            z.closeEntry();
        }
        Files.write(ckpt, bytes.toByteArray());
        Path out = tmp.resolve("out");
        UserError e = assertThrows(UserError.class, () -> PolicyImporter.importPolicy(ckpt, out, null));
        assertTrue(e.getMessage().startsWith(ckpt + ": ") && e.getMessage().contains("os.system"), e.getMessage());
        assertFalse(Files.exists(marker));
        assertFalse(Files.exists(out));
        assertEquals(List.of("evil.ckpt"), Files.list(tmp).map(p -> p.getFileName().toString()).toList());
    }
}
