package org.steppolicy.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;
import org.steppolicy.run.Checksums;

/**
 * A downloaded checkpoint folder is a stranger's input: its files must be regular files inside it, each listed in
 * checksums.sha256 when it has one, and the sizes in a tensor file's header are checked before anything is allocated.
 */
class HostileCheckpointTest {
    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void checkpoint() throws IOException {
        dir = Files.createDirectories(tmp.resolve("step-0000001"));
        new TensorStore().put("w", new long[] {2}, new float[] {1, 2}).save(dir.resolve(Checkpoint.MODEL));
        Files.writeString(dir.resolve(Checkpoint.NORMALIZER), "{}");
        meta(ARCH);
        rehash();
        Checkpoint.load(dir);   // intact: loads
    }

    private static final Map<String, Object> ARCH = new DpArch(UnetConfig.of(2, 40, List.of(16, 32), 16), 16, 2, 8, 20, 2, 100, null, null).toArch();

    private void meta(Map<String, Object> arch) throws IOException {
        Files.writeString(dir.resolve(Checkpoint.META), new Checkpoint.Meta("dp", 1, Double.NaN, arch).toJson());
    }

    private void rehash() throws IOException {
        Checksums c = new Checksums();
        for (String f : List.of(Checkpoint.MODEL, Checkpoint.NORMALIZER, Checkpoint.META)) c.add(dir, f);
        c.save(dir);
    }

    private String refused(String... expected) {
        UserError e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(UserError.class, () -> Checkpoint.load(dir)));
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), m);
        for (String s : expected) assertTrue(m.contains(s), "'" + s + "' not in: " + m);
        return m;
    }

    @Test
    void aLinkOutIsRefusedBeforeItIsRead() throws IOException {
        Files.delete(dir.resolve(Checkpoint.MODEL));
        Files.createSymbolicLink(dir.resolve(Checkpoint.MODEL), Path.of("/dev/zero"));
        refused(Checkpoint.MODEL, "symbolic link");
        Files.delete(dir.resolve(Checksums.FILE));   // an unchecked (old) checkpoint is refused the link all the same
        refused(Checkpoint.MODEL, "symbolic link");
    }

    @Test
    void aFileMissingFromChecksumsIsRefused() throws IOException {
        Path sums = dir.resolve(Checksums.FILE);
        Files.write(sums, Files.readAllLines(sums).stream().filter(l -> !l.endsWith(Checkpoint.MODEL)).toList());
        refused(Checkpoint.MODEL, "not listed in checksums.sha256");
        // an EMA file dropped in beside an intact list
        rehash();
        new TensorStore().put("w", new long[] {2}, new float[] {9, 9}).save(dir.resolve(Checkpoint.EMA));
        refused(Checkpoint.EMA, "not listed in checksums.sha256");
    }

    @Test
    void aChecksumsLineNamingAFileOutsideIsRefused() throws IOException {
        Files.writeString(dir.resolve(Checksums.FILE), "0".repeat(64) + "  /dev/zero\n", StandardOpenOption.APPEND);
        refused("names '/dev/zero'", "not a plain file name");
    }

    /** A tensor file header: magic, count, then one tensor's name length and dims as given, and no data. */
    private static byte[] header(int count, int nameLength, int dims, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(64 + 8 * shape.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("STEPTNS1".getBytes(StandardCharsets.US_ASCII)).putInt(count).putInt(nameLength);
        for (int i = 0; i < Math.max(0, Math.min(nameLength, 4)); i++) b.put((byte) 'w');
        b.putInt(dims);
        for (long d : shape) b.putLong(d);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b.array(), 0, b.position());
        return out.toByteArray();
    }

    @Test
    void tensorHeaderSizesAreBoundedBeforeAllocation() throws IOException {
        for (byte[] file : List.of(header(Integer.MAX_VALUE, 1, 1, 2), header(1, Integer.MAX_VALUE, 1, 2), header(1, -5, 1, 2),
                header(1, 1, Integer.MAX_VALUE, 2), header(1, 1, 1, 1L << 40), header(1, 1, 2, 1L << 32, 1L << 32), header(1, 1, 1, -3))) {
            Files.write(dir.resolve(Checkpoint.MODEL), file);
            rehash();
            String m = refused(Checkpoint.MODEL);
            assertTrue(m.contains("corrupt tensor file") || m.contains("truncated tensor file") || m.contains("tensor too large"), m);
        }
    }

    /** meta.json and normalizer.json whose checksums agree (an old checkpoint, or re-hashed) are still range-checked. */
    @Test
    void sizesAndModesFromMetaAndNormalizerAreCheckedOnLoad() throws IOException {
        String[][] cases = {{"horizon", "0", "must be positive"}, {"horizon", "1000000000", "beyond what STEP runs"},
                {"down_dims", "[-16, 32]", "down dim -16"}, {"n_groups", "0", "nGroups must be >= 1"}};
        for (String[] c : cases) {
            Map<String, Object> arch = new java.util.LinkedHashMap<>(ARCH);
            arch.put(c[0], new com.fasterxml.jackson.databind.ObjectMapper().readValue(c[1], Object.class));
            meta(arch);
            rehash();
            refused("checkpoint " + dir, c[2]);
        }
        meta(ARCH);
        Files.writeString(dir.resolve(Checkpoint.NORMALIZER), "{\"obs\": {\"mode\": \"bogus\", \"scale\": [1], \"offset\": [0]},"
                + " \"action\": {\"mode\": \"bogus\", \"scale\": [1], \"offset\": [0]}}");
        rehash();
        refused(Checkpoint.NORMALIZER, "unknown obs mode 'bogus'");
    }
}
