package org.steppolicy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;

/**
 * Pickles built to hang, overflow the stack or flood the terminal: each is refused in one short line, quickly.
 * Before the budgets, the billion laughs hung for minutes, the cycles and the deep nesting ended in
 * StackOverflowError, and the long integer made a 3 MB error line.
 */
class HostilePickleTest {
    @TempDir
    Path tmp;

    /** A small builder for raw opcodes (protocol 2 plus the few protocol-4 ones used). */
    private static final class Ops {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Ops() { out.write(0x80); out.write(2); }
        Ops op(char c) { out.write(c); return this; }
        Ops put(int i) { out.write('r'); int32(i); return this; }
        Ops get(int i) { out.write('j'); int32(i); return this; }
        Ops repeat(int n, char c) { for (int i = 0; i < n; i++) out.write(c); return this; }
        Ops text(String s) { out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1)); return this; }
        byte[] stop() { out.write('.'); return out.toByteArray(); }

        private void int32(int i) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(i).array());
        }
    }

    /** 3.6 KB: level i is a list of ten references to level i-1, so the top expands to 10^levels leaves. */
    private static Ops billionLaughs(int levels) {
        Ops o = new Ops().op(']').put(0);
        for (int i = 1; i <= levels; i++) {
            o.op('(');
            for (int k = 0; k < 10; k++) o.get(i - 1);
            o.op('l').put(i);
        }
        return o;
    }

    /** The refusal: a UserError of one line, short, naming {@code expected}, within well under a second's budget. */
    private static String refused(byte[] pickle, String expected) {
        UserError e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(UserError.class, () -> SafeUnpickler.load(pickle)));
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.length() < 300, "a " + m.length() + "-character message");
        assertTrue(m.contains(expected), "'" + expected + "' not in: " + m);
        return m;
    }

    @Test
    void aBillionLaughsIsRefusedWithoutExpandingIt() {
        byte[] asValue = billionLaughs(9).stop();
        assertTrue(asValue.length < 4000, asValue.length + " bytes");
        refused(asValue, "expands to more than");
        // as a dict key, where hashing it used to expand it (forever)
        refused(billionLaughs(9).op('}').get(9).op('N').op('s').stop(), "unhashable");
        // as a set member (protocol 4 EMPTY_SET, ADDITEMS) and through OrderedDict's pairs
        refused(billionLaughs(9).op((char) 0x8f).op('(').get(9).op((char) 0x90).stop(), "unhashable");
        refused(billionLaughs(9).text("ccollections\nOrderedDict\n").op('(').op('(').op('(').get(9).op('N').op('t').op('l').op('t').op('R').stop(),
                "unhashable");
    }

    @Test
    void sharingThatStaysSmallStillLoads() {
        Object o = SafeUnpickler.load(billionLaughs(3).stop());   // 1,111 elements as a tree
        List<?> top = assertInstanceOf(List.class, o);
        assertEquals(10, top.size());
        assertSame(top.get(0), top.get(9));
    }

    @Test
    void cyclesAreRefused() {
        refused(new Ops().op(']').put(0).get(0).op('a').stop(), "reference cycle");
        refused(new Ops().op('}').put(0).op('N').get(0).op('s').stop(), "reference cycle");
        // two lists holding each other
        refused(new Ops().op(']').put(0).op(']').put(1).get(0).op('a').op('a').stop(), "reference cycle");
    }

    @Test
    void deepNestingIsRefusedWithoutOverflowingTheStack() {
        int n = 1_000_000;
        refused(new Ops().repeat(n, ']').repeat(n - 1, 'a').stop(), "nest more than 200 deep");
        refused(new Ops().repeat(100_000, '(').op(']').repeat(100_000, 'l').stop(), "nest more than 200 deep");
        // a nesting as deep as the limit loads
        assertInstanceOf(List.class, SafeUnpickler.load(new Ops().repeat(200, ']').repeat(199, 'a').stop()));
    }

    @Test
    void hugeIntegersAreRefusedInAShortLine() {
        String digits = "9".repeat(3_000_000);
        refused(new Ops().text("I" + digits + "\n").stop(), "more than 4300 digits");
        refused(new Ops().text("L" + digits + "L\n").stop(), "more than 4300 digits");
        ByteBuffer long4 = ByteBuffer.allocate(5 + 100_000).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0x8b).putInt(100_000);
        refused(new Ops().text(new String(long4.array(), StandardCharsets.ISO_8859_1)).stop(), "more than 4300 digits");
        refused(new Ops().text("F" + digits + "\n").stop(), "FLOAT argument longer");
        refused(new Ops().text("g" + digits + "\n").stop(), "memo index longer");
        refused(new Ops().text("Ix" + "9".repeat(4000) + "\n").stop(), "is not a number");
        refused(new Ops().text("c" + "m".repeat(3_000_000) + "\nsystem\n").stop(), "not on the allow-list");
        // integers within the limit still load, as Python writes them
        assertEquals(1234567890123L, SafeUnpickler.load(new Ops().text("I1234567890123\n").stop()));
        assertEquals(Boolean.TRUE, SafeUnpickler.load(new Ops().text("I01\n").stop()));
        assertEquals(new java.math.BigInteger("9".repeat(4300)), SafeUnpickler.load(new Ops().text("L" + "9".repeat(4300) + "L\n").stop()));
    }

    @Test
    void eachBudgetIsCountedWhileLoading() {
        PickleBudget small = new PickleBudget(10, 100, 20, 5, 30, 10);
        // memo: six distinct entries
        Ops memo = new Ops().op('N');
        for (int i = 0; i < 6; i++) memo.put(i);
        assertTrue(assertThrows(UserError.class, () -> SafeUnpickler.load(memo.stop(), small)).getMessage().contains("more than 5 memo entries"));
        // one container of 21 elements, appended one by one
        Ops big = new Ops().op(']');
        for (int i = 0; i < 21; i++) big.op('N').op('a');
        assertTrue(assertThrows(UserError.class, () -> SafeUnpickler.load(big.stop(), small)).getMessage().contains("a container of more than 20"));
        // 101 elements over ten small lists
        Ops many = new Ops().op('(');
        for (int i = 0; i < 11; i++) many.op('(').repeat(10, 'N').op('l');
        assertTrue(assertThrows(UserError.class, () -> SafeUnpickler.load(many.op('l').stop(), small)).getMessage().contains("more than 100 elements"));
        // 31 values on the stack at once
        assertTrue(assertThrows(UserError.class, () -> SafeUnpickler.load(new Ops().repeat(31, 'N').stop(), small)).getMessage()
                .contains("more than 30 values"));
    }

    @Test
    void aHostileCheckpointIsOneLineNamingItsFileAndWritesNothing() throws IOException {
        Path ckpt = tmp.resolve("laughs.ckpt");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            // {'cfg': <billion laughs>, 'state_dicts': {}}: plain() of the cfg would walk 10^9 paths
            Ops o = billionLaughs(9);
            z.write(o.op('}').text("X\3\0\0\0cfg").get(9).op('s').text("X\13\0\0\0state_dicts").op('}').op('s').stop());
            z.closeEntry();
        }
        Files.write(ckpt, bytes.toByteArray());
        Path out = tmp.resolve("out");
        UserError e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(UserError.class, () -> PolicyImporter.importPolicy(ckpt, out, null)));
        assertTrue(e.getMessage().startsWith(ckpt + ": refused to unpickle: it expands to more than"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertFalse(Files.exists(out));
    }
}
