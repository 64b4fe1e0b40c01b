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

/** export-onnx with a step and a spatial predictor, then eval --dp on that folder: every method of --steps 2 runs. */
class ExportEvalCommandTest {
    @TempDir
    Path tmp;

    @Test
    void bothPredictorsExportAndTheWholeComparisonRunsOnTheFolder() throws Exception {
        Path dp = ImportCommandTest.nativeDp(tmp.resolve("dp"));
        String norm = Files.readString(dp.resolve(Checkpoint.NORMALIZER));
        Path step = ImportedPolicyTest.predictor(tmp.resolve("step"), PredictorNetConfig.Kind.STEP, norm);
        Path spatial = ImportedPolicyTest.predictor(tmp.resolve("spatial"), PredictorNetConfig.Kind.SPATIAL, norm);
        Path export = tmp.resolve("export");
        StepCliTest.Result e = StepCliTest.run("export-onnx", "--dp", dp.toString(), "--predictor", spatial.toString(),
                "--predictor", step.toString(), "--out", export.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("predictor-spatial.onnx"), e.out());
        JsonNode side = new ObjectMapper().readTree(export.resolve("policy.json").toFile());
        assertEquals("step", side.get("predictor").get("kind").asText());
        assertEquals("spatial", side.get("baseline_predictors").get(0).get("kind").asText());

        Path out = tmp.resolve("eval");
        StepCliTest.Result r = StepCliTest.run("eval", "--dp", export.toString(), "--steps", "2", "--episodes", "1", "--threads", "1",
                "--videos", "0", "--out", out.toString(), "task.eval_max_steps=16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| spatial:2 |") && r.out().contains("| step:2 |") && r.out().contains("| falcon:2 |"), r.out());
        assertEquals(8, new ObjectMapper().readTree(out.resolve("results.json").toFile()).size());

        StepCliTest.Result twice = StepCliTest.run("export-onnx", "--dp", dp.toString(), "--predictor", step.toString(),
                "--predictor", step.toString(), "--out", tmp.resolve("twice").toString());
        assertEquals(2, twice.code(), twice.err());
        assertTrue(twice.err().contains("two 'step' predictors") && twice.err().strip().lines().count() == 1, twice.err());

        // A retrained predictor into the export folder: the DP files byte for byte, the step predictor replaced.
        Path retrained = tmp.resolve("retrained");
        StepCliTest.Result re = StepCliTest.run("export-onnx", "--dp", export.toString(), "--predictor", step.toString(),
                "--out", retrained.toString());
        assertEquals(0, re.code(), re.err());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(export.resolve("dp.onnx")), Files.readAllBytes(retrained.resolve("dp.onnx"))));
        assertTrue(Files.isRegularFile(retrained.resolve("predictor-spatial.onnx")), "the other kind is kept");
        StepCliTest.Result both = StepCliTest.run("export-onnx", "--dp", export.toString(), "--predictor", step.toString(),
                "--fused", "step:2", "--out", tmp.resolve("both").toString());
        assertEquals(2, both.code(), both.err());
        StepCliTest.Result none = StepCliTest.run("export-onnx", "--dp", export.toString(), "--out", tmp.resolve("none").toString());
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("is an export folder"), none.err());
    }
}
