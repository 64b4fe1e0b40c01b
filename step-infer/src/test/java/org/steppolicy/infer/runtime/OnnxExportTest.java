package org.steppolicy.infer.runtime;

import org.steppolicy.models.DiffusionSchedule;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;

/** The exported files load back from disk, run like the in-memory models, and pass the onnx package's checker. */
class OnnxExportTest {
    @TempDir
    Path dir;

    private PolicyBundle bundle() {
        ConditionalUnet1d net = TinyNets.unet();
        float[] scale = new float[20], offset = new float[20];
        for (int i = 0; i < 20; i++) {
            scale[i] = 0.01f * (i + 1);
            offset[i] = -0.5f;
        }
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.affine(scale, offset), LinearNormalizer.identity(2));
        PredictorNetConfig pc = TinyNets.predictor(PredictorNetConfig.Kind.STEP);
        return new PolicyBundle(TinyNets.SHAPE, net, net.initParams(4), norm, SchedulerConfig.diffusionPolicy(),
                PredictorLoader.bundle(pc, new StepPredictorNet(pc).initParams(5), norm));
    }

    @Test
    void exportedFilesRunLikeTheInMemoryModels() throws Exception {
        PolicyBundle b = bundle();
        OnnxExport.write(b, dir);
        JsonNode side = new ObjectMapper().readTree(dir.resolve(OnnxExport.SIDECAR).toFile());
        assertEquals(16, side.get("horizon").asInt());
        assertEquals(2, side.get("n_obs_steps").asInt());
        assertEquals(8, side.get("n_action_steps").asInt());
        assertEquals("global", side.get("conditioning").asText());
        assertEquals("step", side.get("predictor").get("kind").asText());
        assertEquals(0.02, side.get("normalizer").get("obs").get("scale").get(1).asDouble(), 1e-7);
        assertEquals(100, side.get("schedule").get("alphas_cumprod").size());
        assertEquals(DiffusionSchedule.diffusionPolicy().alphaCumprod(57), side.get("schedule").get("alphas_cumprod").get(57).floatValue());

        SplittableRandom r = new SplittableRandom(1);
        float[] x = TinyNets.random(r, 32), cond = TinyNets.random(r, 40), prev = TinyNets.random(r, 32);
        float[] a = new float[32], c = new float[32];
        try (Denoiser fromFile = new OnnxDenoiser(Files.readAllBytes(dir.resolve(OnnxExport.DP_FILE)), 16, 2, 40, 1);
             Denoiser ref = new SameDiffDenoiser(b.dp(), b.dpParams())) {
            fromFile.predict(x, new int[] {30}, cond, 1, a);
            ref.predict(x, new int[] {30}, cond, 1, c);
            RuntimeEquivalenceTest.assertClose(a, c, "dp.onnx vs SameDiff");
        }
        try (ChunkPredictor fromFile = new OnnxChunkPredictor(Files.readAllBytes(dir.resolve(OnnxExport.PREDICTOR_FILE)), 16, 2, true, 1);
             ChunkPredictor ref = PolicyLoader.predictor(b.predictor(), RuntimeKind.ONNX, 1)) {
            fromFile.predict(cond, prev, 1, a);
            ref.predict(cond, prev, 1, c);
            assertArrayEquals(c, a, "predictor.onnx vs in-memory rendering");
        }
    }

    @Test
    void aChangedFileIsRefusedOnLoad() throws Exception {
        OnnxExport.write(bundle(), dir);
        OnnxExportFolder.read(dir);   // intact: loads
        byte[] p = Files.readAllBytes(dir.resolve(OnnxExport.PREDICTOR_FILE));
        p[p.length / 2] ^= 1;
        Files.write(dir.resolve(OnnxExport.PREDICTOR_FILE), p);
        org.steppolicy.config.UserError e = org.junit.jupiter.api.Assertions.assertThrows(org.steppolicy.config.UserError.class,
                () -> OnnxExportFolder.read(dir));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(OnnxExport.PREDICTOR_FILE) && e.getMessage().contains("SHA-256"),
                e.getMessage());
    }

    /**
     * A full disk halfway through (a real ENOSPC: predictor.onnx.tmp leads to /dev/full) leaves no export behind: not
     * the dp.onnx already written, not the .tmp, so a rerun is not refused; the message names the file and the reason.
     */
    @Test
    void aFullDiskLeavesNothingBehind() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "no /dev/full");
        Files.createSymbolicLink(dir.resolve(OnnxExport.PREDICTOR_FILE + ".tmp"), Path.of("/dev/full"));
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> OnnxExport.write(bundle(), dir));
        assertEquals("cannot write " + dir.resolve(OnnxExport.PREDICTOR_FILE) + ": No space left on device", e.getMessage());
        assertEquals("cannot write " + dir.resolve(OnnxExport.PREDICTOR_FILE) + ": No space left on device",
                org.steppolicy.run.FileErrors.osFailure(new RuntimeException(e)));
        try (var s = Files.list(dir)) {
            assertEquals(java.util.List.of(), s.toList());
        }
        OnnxExport.write(bundle(), dir);   // the rerun succeeds
        OnnxExportFolder.read(dir);
    }

    /** "Loads outside the project": the onnx Python package's full checker and strict shape inference. */
    @Test
    void exportedModelsPassTheOnnxChecker() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import onnx").redirectErrorStream(true).start();
        Assumptions.assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0, "python3 has no onnx package");

        OnnxExport.write(bundle(), dir);
        String script = String.join("\n",
                "import sys, onnx",
                "for f in sys.argv[1:]:",
                "    m = onnx.load(f)",
                "    onnx.checker.check_model(m, full_check=True)",
                "    m = onnx.shape_inference.infer_shapes(m, strict_mode=True)",
                "    out = m.graph.output[0].type.tensor_type.shape.dim",
                "    print(f, m.opset_import[0].version, [d.dim_param or d.dim_value for d in out])");
        Process p = new ProcessBuilder(python.toString(), "-c", script, dir.resolve(OnnxExport.DP_FILE).toString(),
                dir.resolve(OnnxExport.PREDICTOR_FILE).toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "onnx checker timed out");
        assertEquals(0, p.exitValue(), "onnx checker failed:\n" + log);
        assertTrue(log.contains("dp.onnx 17 ['batch', 16, 2]"), log);
        assertTrue(log.contains("predictor.onnx 17 ['batch', 16, 2]"), log);
    }
}
