package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.PredictorNetConfig;

/** export-onnx --fused: from checkpoints, then from the export folder with --fused-check; refusals in one line. */
class ExportFusedCommandTest {
    @TempDir
    Path tmp;

    @Test
    void fusedFileFromCheckpointsAndFromAnExportFolder() throws Exception {
        Path dp = ImportCommandTest.nativeDp(tmp.resolve("dp"));
        String norm = Files.readString(dp.resolve(Checkpoint.NORMALIZER));
        Path step = ImportedPolicyTest.predictor(tmp.resolve("step"), PredictorNetConfig.Kind.STEP, norm);
        Path export = tmp.resolve("export");
        StepCliTest.Result e = StepCliTest.run("export-onnx", "--dp", dp.toString(), "--predictor", step.toString(),
                "--out", export.toString(), "--fused", "step:2", "--fused-cold-steps", "3");
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("step_policy.onnx runs step:2:noperturb"), e.out());
        JsonNode fused = new ObjectMapper().readTree(export.resolve("policy.json").toFile()).get("fused");
        assertEquals("step_policy.onnx", fused.get("file").asText());
        assertEquals(3, fused.get("cold_start").get("timesteps").size());

        Path copy = tmp.resolve("copy"), check = tmp.resolve("check.json");
        StepCliTest.Result c = StepCliTest.run("export-onnx", "--dp", export.toString(), "--out", copy.toString(),
                "--fused", "temporal:2", "--fused-check", check.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(Files.isRegularFile(copy.resolve("predictor.onnx")) && Files.isRegularFile(copy.resolve("step_policy.onnx")));
        JsonNode k = new ObjectMapper().readTree(check.toFile());
        assertEquals(6, k.get("calls").size());
        assertTrue(k.get("java_ort_fused_max_rel_action_diff").asDouble() <= 1e-5, k.toString());

        StepCliTest.Result bad = StepCliTest.run("export-onnx", "--dp", export.toString(), "--out", tmp.resolve("bad").toString(),
                "--fused", "step:2:perturb");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("perturbation") && bad.err().strip().lines().count() == 1, bad.err());
    }
}
