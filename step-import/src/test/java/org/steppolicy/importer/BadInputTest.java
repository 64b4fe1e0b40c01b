package org.steppolicy.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;

/** Each bad input is one line naming the file and the problem, and nothing is written. */
class BadInputTest {
    @TempDir
    Path tmp;
    private DiffusionPolicyCheckpointWriter.Contents good;

    @BeforeEach
    void nativeCheckpoint() {
        good = DiffusionPolicyCheckpointWriter.fromNative(TinyNativeDp.write(tmp.resolve("native"), true));
    }

    private void refused(Path file, String... expected) {
        Path out = tmp.resolve("out");
        UserError e = assertThrows(UserError.class, () -> PolicyImporter.importPolicy(file, out, null));
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.startsWith(file + ": "), m);
        for (String s : expected) assertTrue(m.contains(s), "'" + s + "' not in: " + m);
        assertFalse(Files.exists(out), "nothing may be written");
        System.out.println("refused: " + m);
    }

    private Path write(DiffusionPolicyCheckpointWriter.Contents c, String name) {
        Path f = tmp.resolve(name);
        DiffusionPolicyCheckpointWriter.write(c, f);
        return f;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> policy(Map<String, Object> cfg) {
        return (Map<String, Object>) cfg.get("policy");
    }

    private DiffusionPolicyCheckpointWriter.Contents copy() {
        // deep enough: the cfg maps and state dict maps tests change
        Map<String, Object> cfg = new LinkedHashMap<>(good.cfg());
        Map<String, Object> pol = new LinkedHashMap<>(policy(cfg));
        @SuppressWarnings("unchecked")
        Map<String, Object> model = new LinkedHashMap<>((Map<String, Object>) pol.get("model"));
        pol.put("model", model);
        cfg.put("policy", pol);
        Map<String, Map<String, DiffusionPolicyCheckpointWriter.Tensor>> dicts = new LinkedHashMap<>();
        good.stateDicts().forEach((k, v) -> dicts.put(k, new LinkedHashMap<>(v)));
        return new DiffusionPolicyCheckpointWriter.Contents(cfg, dicts, good.globalStep());
    }

    @Test
    void truncatedFile() throws IOException {
        Path f = write(good, "full.ckpt");
        byte[] b = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.ckpt");
        Files.write(cut, Arrays.copyOf(b, b.length / 2));
        refused(cut, "truncated");
    }

    @Test
    void aFlippedByteInsideATensorIsRefusedByItsCrc() throws IOException {
        Path f = write(good, "flipped.ckpt");
        byte[] file = Files.readAllBytes(f), tensor;
        String name;
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(f.toFile())) {
            // the largest storage record: an EMA weight the import reads
            ZipEntry e = z.stream().filter(x -> x.getName().contains("/data/")).max(java.util.Comparator.comparingLong(ZipEntry::getSize)).orElseThrow();
            name = e.getName();
            tensor = z.getInputStream(e).readAllBytes();
        }
        int at = indexOf(file, tensor);   // STORED: the record's bytes lie in the file as they are
        assertTrue(at > 0);
        file[at + tensor.length / 2] ^= 0x10;
        Files.write(f, file);
        refused(f, "corrupt zip record " + name, "CRC-32");
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    @Test
    void notAZip() throws IOException {
        Path f = tmp.resolve("notes.ckpt");
        Files.writeString(f, "hello");
        refused(f, "not a zip");
        Path pickle = tmp.resolve("legacy.pt");
        Files.write(pickle, new byte[] {(byte) 0x80, 2, 'N', '.'});
        refused(pickle, "bare pickle");
        refused(tmp.resolve("absent.ckpt"), "no such file");
    }

    @Test
    void aPickleThatIsNotACheckpoint() throws IOException {
        refused(zip("list.ckpt", new PickleWriter().proto().emptyList().stop().toByteArray()), "not a diffusion_policy workspace checkpoint", "list");
        refused(zip("dict.ckpt", new PickleWriter().proto().emptyDict().mark().string("epoch").integer(3).setItems().stop().toByteArray()),
                "without 'cfg'", "epoch");
        Path noPkl = tmp.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(noPkl))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("x".getBytes());
        }
        refused(noPkl, "no <prefix>/data.pkl");
    }

    @Test
    void anArchitectureTheFrameworkDoesNotHave() {
        var c = copy();
        policy(c.cfg()).put("_target_", "diffusion_policy.policy.diffusion_transformer_lowdim_policy.DiffusionTransformerLowdimPolicy");
        refused(write(c, "transformer.ckpt"), "DiffusionTransformerLowdimPolicy", "transformer");
        policy(c.cfg()).put("_target_", "diffusion_policy.policy.diffusion_unet_image_policy.DiffusionUnetImagePolicy");
        refused(write(c, "image.ckpt"), "image-conditioned", "obs_encoder");
        policy(c.cfg()).put("_target_", "diffusion_policy.policy.diffusion_unet_lowdim_policy.DiffusionUnetLowdimPolicy");
        c.stateDicts().get("ema_model").put("model.local_cond_encoder.0.0.block.0.weight",
                new DiffusionPolicyCheckpointWriter.Tensor(new long[] {1}, new float[1]));
        refused(write(c, "local.ckpt"), "local conditioning");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shapesDisagreeingWithTheConfig() {
        var c = copy();
        ((Map<String, Object>) policy(c.cfg()).get("model")).put("down_dims", List.of(16, 24));
        refused(write(c, "dims.ckpt"), "has shape", "down_dims [16, 24]");
        var d = copy();
        ((Map<String, Object>) d.cfg().get("task")).put("obs_dim", 10);
        refused(write(d, "obs.ckpt"), "has shape");
    }

    /** Imported sizes go through the range checks of every config: before, horizon 1e9 imported and bench ran out of memory. */
    @Test
    void sizesBeyondWhatStepRunsAreRefused() {
        var c = copy();
        policy(c.cfg()).put("horizon", 1_000_000_000);
        refused(write(c, "huge.ckpt"), "beyond what STEP runs", "horizon 1000000000");
        policy(c.cfg()).put("horizon", 0);
        refused(write(c, "zero.ckpt"), "must be positive");
    }

    @Test
    void missingEma() {
        var c = copy();
        c.stateDicts().remove("ema_model");
        Path f = write(c, "noema.ckpt");
        refused(f, "no EMA weights", "--weights model");
        PolicyImporter.importPolicy(f, tmp.resolve("raw"), PolicyImporter.Weights.MODEL);   // and the raw ones import
    }

    @Test
    void outputThatExists() throws IOException {
        Path f = write(good, "ok.ckpt");
        Path out = tmp.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "x");
        UserError e = assertThrows(UserError.class, () -> PolicyImporter.importPolicy(f, out, null));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        assertEquals(List.of("keep.txt"), Files.list(out).map(p -> p.getFileName().toString()).toList());
    }

    private Path zip(String name, byte[] pickle) throws IOException {
        Path f = tmp.resolve(name);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pickle);
        }
        Files.write(f, b.toByteArray());
        return f;
    }
}
