package org.steppolicy.infer.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.run.Checksums;

/**
 * A downloaded export folder is a stranger's input: policy.json may name only files inside it, every file it uses
 * must be listed in checksums.sha256, and its sizes are bounded. Before, {@code "file": "/dev/zero"} made eval, serve
 * and bench read 2 GB and die with OutOfMemoryError.
 */
class HostileExportFolderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path dir;

    @BeforeEach
    void export() throws IOException {
        dir = tmp.resolve("export");
        Files.createDirectories(dir);
        ConditionalUnet1d net = TinyNets.unet();
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.identity(20), LinearNormalizer.identity(2));
        OnnxExport.write(new PolicyBundle(TinyNets.SHAPE, net, net.initParams(4), norm, SchedulerConfig.diffusionPolicy(), null), dir);
        OnnxExportFolder.read(dir);   // intact: loads
    }

    /** policy.json changed by {@code edit}, its checksum line rewritten to match (as an attacker would). */
    private void sidecar(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(dir.resolve(OnnxExport.SIDECAR).toFile());
        edit.accept(root);
        Files.write(dir.resolve(OnnxExport.SIDECAR), JSON.writeValueAsBytes(root));
        rehash();
    }

    private void rehash() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(Checksums.FILE));
        Checksums c = new Checksums();
        for (String l : lines) c.add(dir, l.substring(66));
        c.save(dir);
    }

    private String refused(String... expected) {
        UserError e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertThrows(UserError.class, () -> OnnxExportFolder.read(dir)));
        String m = e.getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.length() < 400, m);
        for (String s : expected) assertTrue(m.contains(s), "'" + s + "' not in: " + m);
        return m;
    }

    @Test
    void aModelFileOutsideTheFolderIsRefusedBeforeItIsOpened() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret.txt"), "not yours");
        for (String name : List.of("/dev/zero", secret.toString(), "../secret.txt", "sub/dp.onnx", "..", "")) {
            sidecar(r -> ((ObjectNode) r.get("dp")).put("file", name));
            refused(name.isEmpty() ? "lacks \"file\"" : "not a plain file name inside its folder");
        }
    }

    @Test
    void aSymbolicLinkOutIsRefused() throws IOException {
        Path dp = dir.resolve(OnnxExport.DP_FILE);
        Files.delete(dp);
        Files.createSymbolicLink(dp, Path.of("/dev/zero"));
        refused(OnnxExport.DP_FILE, "symbolic link");
    }

    @Test
    void everyFileUsedMustBeListedInChecksums() throws IOException {
        Path sums = dir.resolve(Checksums.FILE);
        List<String> lines = Files.readAllLines(sums);
        Files.write(sums, lines.stream().filter(l -> !l.endsWith("  " + OnnxExport.DP_FILE)).toList());
        refused(OnnxExport.DP_FILE, "not listed in checksums.sha256");
        Files.write(sums, lines.stream().filter(l -> !l.endsWith("  " + OnnxExport.SIDECAR)).toList());
        refused(OnnxExport.SIDECAR, "not listed in checksums.sha256");
        // a line naming a file outside the folder is not followed, not even to hash it
        Files.write(sums, (String.join("\n", lines) + "\n" + "0".repeat(64) + "  ../../etc/passwd\n").getBytes(StandardCharsets.UTF_8));
        refused("names '../../etc/passwd'", "not a plain file name");
    }

    @Test
    void sizesAreBoundedBeforeAllocation() throws IOException {
        sidecar(r -> r.put("horizon", 1_000_000_000));
        refused("policy sizes beyond what STEP runs");
        sidecar(r -> { r.put("horizon", 16); r.put("obs_dim", Integer.MAX_VALUE); });
        refused("policy sizes beyond what STEP runs");
    }
}
