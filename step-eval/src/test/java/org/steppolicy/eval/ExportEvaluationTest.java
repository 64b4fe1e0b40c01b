package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.policy.TrainedPolicy;
import org.steppolicy.infer.runtime.OnnxExport;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.sim.Evaluator;

/** An export-onnx folder evaluates like the checkpoints it came from; methods it lacks a predictor for are dropped or refused. */
class ExportEvaluationTest {
    static final List<String> TINY = List.of("policy.down_dims=[16,32]", "policy.diffusion_step_embed_dim=16",
            "predictor.d_model=32", "predictor.dim_feedforward=64", "task.eval_max_steps=24");

    @TempDir
    Path tmp;

    static StepConfig config() {
        return ConfigLoader.load(Path.of("configs/pusht-small.yaml"), TINY);
    }

    /** A tiny random-weight low-dim policy exported with a step predictor and, when asked, a spatial one. */
    static Path export(Path dir, boolean withSpatial) throws Exception {
        StepConfig c = config();
        PolicyBundle b = PolicyLoader.randomWeights(c, c.training().seed(), true);
        var preds = new ArrayList<>(List.of(b.predictor()));
        if (withSpatial) preds.add(PolicyLoader.randomWeights(c.with("predictor.kind=spatial"), 7, true).predictor());
        OnnxExport.write(b.withPredictor(null), preds, dir);
        return dir;
    }

    @Test
    void theComparisonRunsOnTheExportAndMatchesTheInMemoryPolicy() throws Exception {
        StepConfig c = config();
        Path export = export(tmp.resolve("export"), false);
        StringWriter log = new StringWriter();
        EvalSources src = EvalSources.pick(export, List.of(), MethodList.comparison(2), true, tmp.resolve("runs"), new PrintWriter(log, true));
        assertEquals(export, src.dp());
        assertEquals(List.of("ddpm:100", "ddim:2", "dpmsolver:2", "temporal:2", "falcon:2", "step:2", "predictor"),
                src.methods().stream().map(MethodSpec::label).toList());
        assertEquals(1, log.toString().lines().count(), log.toString());
        assertTrue(log.toString().contains("no spatial or bridger predictor: skipping spatial:2, bridger:2"), log.toString());

        Path out = tmp.resolve("eval");
        EvalRequest r = EvalRequest.of(c, src.dp(), src.predictors()).withMethods(src.methods()).withEpisodes(2).withThreads(2)
                .withVideos(1).withOut(out);
        EvalSummary s = Evaluation.run(r, new PrintWriter(new StringWriter()));
        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(7, results.size());
        assertTrue(Files.exists(out.resolve("score_vs_latency.png")));
        assertTrue(Files.exists(out.resolve("videos/step-2_seed100000.gif")));
        assertTrue(s.table().contains("| step:2 |"), s.table());

        // The same networks in memory (random weights from the same seed) give the same episodes.
        PolicyBundle b = PolicyLoader.randomWeights(c, c.training().seed(), true);
        var local = TrainedPolicy.of(b, List.of(b.predictor()), "in memory").source(RuntimeKind.ONNX, 1);
        MethodResult in = new ClosedLoopEvaluation(local, InferenceSettings.from(c.inference()), new Evaluator(2, 24), 2)
                .run(MethodList.parse("step:2").get(0), 100000, 2, 0, null, null);
        assertEquals(in.episodeScores(), s.closedLoop().get(5).episodeScores());
    }

    @Test
    void aMissingPredictorNamedExplicitlyIsRefusedInOneLine() throws Exception {
        StepConfig c = config();
        Path export = export(tmp.resolve("export"), false);
        EvalRequest r = EvalRequest.of(c, export, List.of()).withMethods(MethodList.parse("ddim:2,spatial:2")).withEpisodes(1)
                .withOut(tmp.resolve("eval"));
        UserError e = assertThrows(UserError.class, () -> Evaluation.run(r, new PrintWriter(new StringWriter())));
        assertTrue(e.getMessage().contains("needs a 'spatial' predictor") && e.getMessage().contains(export.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(Files.exists(tmp.resolve("eval/results.json")), "refused before any rollout");

        UserError withPred = assertThrows(UserError.class, () -> EvalSources.pick(export, List.of(tmp), MethodList.comparison(2), true,
                tmp, new PrintWriter(new StringWriter())));
        assertTrue(withPred.getMessage().contains("pass no --predictor"), withPred.getMessage());
    }

    @Test
    void anExportWithBothPredictorsKeepsTheSpatialStart() throws Exception {
        StepConfig c = config();
        Path export = export(tmp.resolve("export"), true);
        StringWriter log = new StringWriter();
        EvalSources src = EvalSources.pick(export, List.of(), MethodList.comparison(2), true, tmp, new PrintWriter(log, true));
        assertEquals(8, src.methods().size());
        // every predictor method kept; only bridger:2 (no bridger.onnx in this export) is left out, with one line
        assertEquals(export + " has no bridger predictor: skipping bridger:2", log.toString().strip());
        EvalRequest r = EvalRequest.of(c, export, List.of()).withMethods(MethodList.parse("spatial:2")).withEpisodes(1).withVideos(0)
                .withOut(tmp.resolve("eval"));
        EvalSummary s = Evaluation.run(r, new PrintWriter(new StringWriter()));
        assertEquals("spatial:2", s.closedLoop().get(0).method());
        assertTrue(s.closedLoop().get(0).latency().predictorMedianMs() > 0, "the spatial predictor ran");
    }
}
