package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.serve.PolicyServer;
import org.steppolicy.serve.StepServedPolicy;
import org.steppolicy.serve.ServeConfig;
import org.steppolicy.sim.Evaluator;

/** The closed-loop evaluation through a policy server gives exactly the in-process scores (tiny random-weight policy). */
class ServerEvaluationTest {
    static final List<String> TINY = List.of("policy.down_dims=[16,32]", "policy.diffusion_step_embed_dim=16",
            "predictor.d_model=32", "predictor.dim_feedforward=64", "task.eval_max_steps=40");

    @Test
    void sameSeedsGiveTheSameScoresAsInProcess(@TempDir Path dir) throws Exception {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), TINY);
        PolicyBundle bundle = PolicyLoader.randomWeights(c, c.training().seed(), true);
        InferenceSettings settings = InferenceSettings.from(c.inference());
        List<MethodSpec> specs = MethodSpec.parseList("step:2,ddim:2,temporal:2");
        Evaluator ev = new Evaluator(2, 40);
        var local = org.steppolicy.infer.policy.TrainedPolicy.of(bundle, List.of(bundle.predictor()), "random weights")
                .source(RuntimeKind.ONNX, 1);
        try (StepServedPolicy served = StepServedPolicy.of(bundle, List.of(), "random weights", new StepServedPolicy.Options("step:2",
                     List.of("ddim:2", "temporal:2"), settings, RuntimeKind.ONNX, 2));
             PolicyServer server = PolicyServer.start(served, ServeConfig.loopback(0))) {
            List<Double> inProcessStep = null;
            for (MethodSpec spec : specs) {
                MethodResult in = new ClosedLoopEvaluation(local, settings, ev, 2).run(spec, 100000, 3, 0, null, null);
                MethodResult remote = new ClosedLoopEvaluation((s, m) -> ServerPolicy.open(server.target(), null, s.label()),
                        settings, ev, 2).run(spec, 100000, 3, 0, null, null);
                assertEquals(in.episodeScores(), remote.episodeScores(), spec.label());
                assertTrue(remote.latency().calls() >= 3 * 5, "40 steps / 8 actions = 5 calls per episode");
                if (spec.label().equals("step:2")) inProcessStep = in.episodeScores();
                // Not a vacuous equality: the episodes differ from one another (their initial states do).
                assertTrue(in.episodeScores().stream().distinct().count() > 1, spec.label() + " " + in.episodeScores());
            }

            // The entry point: an EvalRequest with the server, the same config and seeds.
            EvalRequest request = EvalRequest.of(c, null, List.of()).withMethods(MethodList.parse("step:2")).withEpisodes(3)
                    .withSeed(100000).withThreads(2).withVideos(0).withOut(dir)
                    .withServer(new EvalRequest.ServerTarget(server.target(), null));
            EvalSummary summary = Evaluation.run(request, new java.io.PrintWriter(new java.io.StringWriter()));
            assertEquals(inProcessStep, summary.closedLoop().get(0).episodeScores());
            JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
            List<Double> written = new ArrayList<>();
            json.get(0).get("episode_scores").forEach(n -> written.add(n.asDouble()));
            assertEquals(inProcessStep, written);
        }
    }

    @Test
    void withoutMethodsItEvaluatesWhatTheServerServesOnTheSameSeeds(@TempDir Path dir) throws Exception {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), TINY);
        PolicyBundle bundle = PolicyLoader.randomWeights(c, c.training().seed(), true);
        InferenceSettings settings = InferenceSettings.from(c.inference());
        try (StepServedPolicy served = StepServedPolicy.of(bundle, List.of(), "random weights", new StepServedPolicy.Options("step:2",
                     List.of("ddim:2"), settings, RuntimeKind.ONNX, 2));
             PolicyServer server = PolicyServer.start(served, ServeConfig.loopback(0))) {
            EvalRequest request = EvalRequest.of(c, null, List.of()).withMethods(List.of()).withEpisodes(2).withSeed(100000)
                    .withThreads(2).withVideos(0).withOut(dir.resolve("eval")).withServer(new EvalRequest.ServerTarget(server.target(), null));

            // --compare with a method the server does not serve: one line, before any rollout or output.
            UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class,
                    () -> Evaluation.run(request.withCompare("temporal:2"), new java.io.PrintWriter(new java.io.StringWriter())));
            assertEquals("--compare temporal:2: not among the evaluated methods (step:2, ddim:2)", e.getMessage());
            assertTrue(!java.nio.file.Files.exists(dir.resolve("eval")), "nothing written");

            EvalSummary s = Evaluation.run(request.withCompare("step:2"), new java.io.PrintWriter(new java.io.StringWriter()));
            assertEquals(List.of("step:2", "ddim:2"), s.closedLoop().stream().map(MethodResult::method).toList());
            for (MethodResult m : s.closedLoop()) assertEquals(List.of(100000L, 100001L), m.episodeSeeds(), m.method());
            assertEquals(1, s.comparisons().size());
            assertEquals("ddim:2", s.comparisons().get(0).method());
            assertTrue(s.table().contains("| step:2 - ddim:2 |"), s.table());
            JsonNode json = new ObjectMapper().readTree(dir.resolve("eval/results.json").toFile());
            assertEquals("step:2", json.get(1).get("paired_difference").get("reference").asText());
        }
    }

    @Test
    void anUnknownCompareMethodIsRefusedBeforeTheModelsAreRead(@TempDir Path dir) {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), TINY);
        EvalRequest r = EvalRequest.of(c, dir.resolve("no-such-dp"), List.of()).withMethods(MethodList.parse("step:2,ddim:2"))
                .withCompare("STEP:4").withOut(dir.resolve("eval"));
        UserError e = org.junit.jupiter.api.Assertions.assertThrows(UserError.class,
                () -> Evaluation.run(r, new java.io.PrintWriter(new java.io.StringWriter())));
        assertEquals("--compare step:4: not among the evaluated methods (step:2, ddim:2)", e.getMessage());
        UserError bad = org.junit.jupiter.api.Assertions.assertThrows(UserError.class, () -> r.withCompare("warp:2"));
        assertTrue(bad.getMessage().startsWith("--compare: "), bad.getMessage());
        assertTrue(!bad.getMessage().contains("\n"));
    }
}
