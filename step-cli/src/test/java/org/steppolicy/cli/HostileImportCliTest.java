package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code step import} of crafted files, as an attacker would hand them over (issue 21 item 1): each is exit 2 with
 * one short line naming the file, within seconds, and writes nothing. Before: a 3.6 KB pickle hung for good, a
 * cycle or a deep nesting ended in a 1,025-line StackOverflowError (exit 1), a long integer made a 3 MB line.
 */
class HostileImportCliTest {
    @TempDir
    Path tmp;

    /** A torch.save-like zip holding {@code pickle} as archive/data.pkl. */
    private Path checkpoint(String name, byte[] pickle) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pickle);
        }
        return Files.write(tmp.resolve(name), b.toByteArray());
    }

    private static byte[] int32(int op, int i) {
        return ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) op).putInt(i).array();
    }

    /** Nine levels of ten shared references each: 10^9 leaves as a tree, 600 bytes as a pickle. */
    private static byte[] billionLaughs() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[] {(byte) 0x80, 2, ']'});
        o.writeBytes(int32('r', 0));
        for (int i = 1; i <= 9; i++) {
            o.write('(');
            for (int k = 0; k < 10; k++) o.writeBytes(int32('j', i - 1));
            o.write('l');
            o.writeBytes(int32('r', i));
        }
        o.write('.');
        return o.toByteArray();
    }

    private void refused(Path file, String expected) {
        Path out = tmp.resolve("out");
        StepCliTest.Result r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> StepCliTest.run("import", file.toString(), "--out", out.toString()));
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: " + file + ": ") && r.err().contains(expected), r.err());
        assertTrue(r.err().length() < 400, r.err().length() + " characters");
        assertFalse(Files.exists(out));
    }

    @Test
    void aBillionLaughsIsRefusedQuickly() throws IOException {
        refused(checkpoint("laughs.ckpt", billionLaughs()), "expands to more than");
    }

    @Test
    void aCycleIsRefused() throws IOException {
        refused(checkpoint("cycle.ckpt", new byte[] {(byte) 0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.'}), "reference cycle");
    }

    @Test
    void aDeepNestingIsRefusedWithoutAStackOverflow() throws IOException {
        ByteArrayOutputStream deep = new ByteArrayOutputStream();
        deep.writeBytes(new byte[] {(byte) 0x80, 2});
        for (int i = 0; i < 100_000; i++) deep.write(']');
        for (int i = 0; i < 99_999; i++) deep.write('a');
        deep.write('.');
        refused(checkpoint("deep.ckpt", deep.toByteArray()), "nest more than 200 deep");
    }

    @Test
    void aHugeIntegerIsAShortLine() throws IOException {
        refused(checkpoint("int.ckpt", ("\u0080\u0002I" + "9".repeat(1_000_000) + "\n.").getBytes(StandardCharsets.ISO_8859_1)),
                "more than 4300 digits");
    }

    @Test
    void aSymbolicLinkLoopIsNamed() throws IOException {
        Path a = tmp.resolve("a.ckpt"), b = tmp.resolve("b.ckpt");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        refused(a, "a symbolic link loop");
    }
}
