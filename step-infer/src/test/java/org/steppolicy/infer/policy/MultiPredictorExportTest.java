package org.steppolicy.infer.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.runtime.OnnxExport;
import org.steppolicy.infer.runtime.OnnxExportFolder;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.run.Checksums;

/**
 * An export with a step and a spatial predictor: predictor.onnx stays the step one (old readers see what they always
 * saw), predictor-spatial.onnx is listed under "baseline_predictors", and spatial:2 on the folder runs the spatial one.
 */
class MultiPredictorExportTest {
    @TempDir
    Path tmp;

    private Path dp, step, spatial;

    private void checkpoints() throws Exception {
        dp = TinyCheckpoints.dp(tmp.resolve("dp"), 100, TinyCheckpoints.config(100, "squaredcos_cap_v2", true, "epsilon"));
        step = TinyCheckpoints.predictor(tmp.resolve("step"), PredictorNetConfig.Kind.STEP);
        spatial = TinyCheckpoints.predictor(tmp.resolve("spatial"), PredictorNetConfig.Kind.SPATIAL);
    }

    private Path export(String name, Path... predictors) throws Exception {
        Path out = tmp.resolve(name);
        List<PredictorBundle> preds = java.util.Arrays.stream(predictors).map(PolicyLoader::predictorFromCheckpoint).toList();
        OnnxExport.write(PolicyLoader.fromCheckpoints(dp, null), preds, out);
        return out;
    }

    @Test
    void bothKindsAreWrittenAndTheSpatialMethodRunsTheSpatialPredictor() throws Exception {
        checkpoints();
        // Spatial given first: the step one still goes to predictor.onnx.
        Path both = export("both", spatial, step), single = export("single", step);
        ObjectMapper json = new ObjectMapper();
        JsonNode side = json.readTree(both.resolve(OnnxExport.SIDECAR).toFile());
        JsonNode old = json.readTree(single.resolve(OnnxExport.SIDECAR).toFile());
        assertEquals(old.get("predictor"), side.get("predictor"), "the \"predictor\" section is the single-predictor export's");
        assertEquals("step", side.get("predictor").get("kind").asText());
        JsonNode extra = side.get("baseline_predictors");
        assertEquals(1, extra.size());
        assertEquals("spatial", extra.get(0).get("kind").asText());
        assertEquals("predictor-spatial.onnx", extra.get(0).get("file").asText());
        assertEquals(1, extra.get(0).get("inputs").size(), "a spatial predictor reads obs only");
        assertFalse(old.has("baseline_predictors"), "a single-predictor sidecar is unchanged");
        assertTrue(Files.isRegularFile(both.resolve("predictor-spatial.onnx")));
        assertTrue(Checksums.read(both, "export").sums().containsKey("predictor-spatial.onnx"));
        OnnxExport.verify(both);

        assertEquals(Set.of("step", "spatial"), TrainedPolicy.load(both, List.of()).predictorKinds());
        PolicyOptions withBoth = PolicyOptions.defaults().withPredictors(step, spatial);
        for (String method : List.of("spatial:2", "step:2", "predictor")) {
            try (StepPolicy ckpt = StepPolicy.load(dp, method, withBoth); StepPolicy onnx = StepPolicy.load(both, method)) {
                ckpt.reset(3);
                onnx.reset(3);
                for (int call = 0; call < 2; call++) {
                    double[][] w = TinyCheckpoints.window();
                    w[0][1] += 7 * call;
                    assertEquals(0, CheckpointScheduleTest.maxDiff(ckpt.predictChunk(w), onnx.predictChunk(w)), 1e-2, method + " call " + call);
                }
            }
        }
        // Not vacuous: the spatial and step predictors give different chunks on the same window.
        try (StepPolicy a = StepPolicy.load(both, "spatial:2"); StepPolicy b = StepPolicy.load(both, "step:2")) {
            a.reset(3);
            b.reset(3);
            assertTrue(CheckpointScheduleTest.maxDiff(a.predictChunk(TinyCheckpoints.window()), b.predictChunk(TinyCheckpoints.window())) > 1e-4);
        }
    }

    /**
     * One message for a missing predictor: the same kind missing from a checkpoint policy and from an export folder
     * of the same networks reads the same, but for the folder it names (MissingPredictor).
     */
    @Test
    void theCheckpointAndExportRoutesGiveTheSameMissingPredictorMessage() throws Exception {
        checkpoints();
        Path single = export("single", step);
        String fromCheckpoint = assertThrows(UserError.class, () -> StepPolicy.load(dp, "spatial:2",
                PolicyOptions.defaults().withPredictors(step))).getMessage();
        String fromExport = assertThrows(UserError.class, () -> StepPolicy.load(single, "spatial:2")).getMessage();
        assertEquals(fromCheckpoint.replace(dp.toString(), "SOURCE"), fromExport.replace(single.toString(), "SOURCE"));
        assertEquals("method spatial:2 needs a 'spatial' predictor; SOURCE has only step. Train one (step train-predictor with "
                + "predictor.kind=spatial) and pass it with --predictor DIR (to an export-onnx folder: step export-onnx --policy FOLDER "
                + "--predictor DIR --out NEW)", fromExport.replace(single.toString(), "SOURCE"));
        // a source with no predictor at all, and the bridger kind
        String none = assertThrows(UserError.class, () -> StepPolicy.load(dp, "step:2")).getMessage();
        assertTrue(none.contains("needs a 'step' predictor; " + dp + " has none. Train one (step train-predictor with predictor.kind=step)"), none);
        String bridger = assertThrows(UserError.class, () -> StepPolicy.load(single, "bridger:2")).getMessage();
        assertEquals(bridger.replace(single.toString(), "SOURCE"), assertThrows(UserError.class, () -> StepPolicy.load(dp, "bridger:2",
                PolicyOptions.defaults().withPredictors(step))).getMessage().replace(dp.toString(), "SOURCE"));
        assertTrue(bridger.contains("needs a 'bridger' predictor; " + single + " has only step. Train one (step train-bridger)"), bridger);
    }

    @Test
    void singlePredictorFoldersLoadAsBefore() throws Exception {
        checkpoints();
        Path single = export("single", step);
        assertEquals(Set.of("step"), TrainedPolicy.load(single, List.of()).predictorKinds());
        try (StepPolicy p = StepPolicy.load(single, "step:2")) {
            assertTrue(p.info().provenance().contains("with a step predictor"), p.info().provenance());
        }
        StepPolicyTest.assertOneLine(assertThrows(UserError.class, () -> StepPolicy.load(single, "spatial:2")),
                "needs a 'spatial' predictor");

        // The shipped folder (v2) carries the STEP predictor and the spatial one as its baseline.
        Path shipped = Path.of("../models/pusht-lowdim");
        if (Files.isRegularFile(shipped.resolve(OnnxExport.SIDECAR))) {
            OnnxExportFolder f = OnnxExportFolder.read(shipped);
            assertEquals(Set.of("step", "spatial"), f.predictorKinds());
            assertEquals("step", f.predictorKind());
        }
    }

    @Test
    void aRetrainedPredictorReplacesItsKindInAnExportFolder() throws Exception {
        checkpoints();
        Path both = export("both", step, spatial);
        Path retrained = TinyCheckpoints.predictor(tmp.resolve("step-retrained"), PredictorNetConfig.Kind.STEP, 11);
        Path out = tmp.resolve("replaced");
        OnnxExport.withPredictors(OnnxExportFolder.read(both), List.of(PolicyLoader.predictorFromCheckpoint(retrained)), out);
        OnnxExport.verify(out);
        // The DP and the other kind byte for byte; the step predictor is the retrained one, as a direct export writes it.
        assertArrayEquals(Files.readAllBytes(both.resolve("dp.onnx")), Files.readAllBytes(out.resolve("dp.onnx")));
        assertArrayEquals(Files.readAllBytes(both.resolve("predictor-spatial.onnx")), Files.readAllBytes(out.resolve("predictor-spatial.onnx")));
        Path direct = export("direct", retrained, spatial);
        assertArrayEquals(Files.readAllBytes(direct.resolve("predictor.onnx")), Files.readAllBytes(out.resolve("predictor.onnx")));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(both.resolve("predictor.onnx")), Files.readAllBytes(out.resolve("predictor.onnx"))));
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(direct.resolve(OnnxExport.SIDECAR).toFile()), json.readTree(out.resolve(OnnxExport.SIDECAR).toFile()),
                "policy.json as a direct export of the same models writes it");
        try (StepPolicy a = StepPolicy.load(out, "step:2"); StepPolicy b = StepPolicy.load(direct, "step:2")) {
            a.reset(1);
            b.reset(1);
            assertEquals(0, CheckpointScheduleTest.maxDiff(a.predictChunk(TinyCheckpoints.window()), b.predictChunk(TinyCheckpoints.window())), 0.0);
        }
        // Added when the folder lacks the kind: a step-only folder gets the spatial predictor as its baseline.
        Path single = export("single", step);
        Path added = tmp.resolve("added");
        OnnxExport.withPredictors(OnnxExportFolder.read(single), List.of(PolicyLoader.predictorFromCheckpoint(spatial)), added);
        assertEquals(Set.of("step", "spatial"), TrainedPolicy.load(added, List.of()).predictorKinds());
    }

    @Test
    void twoPredictorsOfOneKindAreRefused() throws Exception {
        checkpoints();
        Path other = TinyCheckpoints.predictor(tmp.resolve("step2"), PredictorNetConfig.Kind.STEP);
        StepPolicyTest.assertOneLine(assertThrows(UserError.class, () -> export("twice", step, other)), "two 'step' predictors");
    }
}
