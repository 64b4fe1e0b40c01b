package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
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
import org.steppolicy.infer.CallLatency;
import org.steppolicy.serve.PolicyClient;
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

    /**
     * The Push-T simulator driven through the server both ways: a client that sends only the newest observation every
     * Ta periods (what the contract's comment used to invite) is refused with INVALID_ARGUMENT on its second call;
     * the same client saying allow_history_gap runs, on a stale history, as does the client that sends the window
     * (whose scores equal the in-process ones, test above).
     */
    @Test
    void aClientThatSendsOnlyTheNewestObservationIsRefused() throws Exception {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), TINY);
        PolicyBundle bundle = PolicyLoader.randomWeights(c, c.training().seed(), true);
        InferenceSettings settings = InferenceSettings.from(c.inference());
        MethodSpec spec = MethodSpec.parseList("step:2").get(0);
        Evaluator ev = new Evaluator(2, 40);
        try (StepServedPolicy served = StepServedPolicy.of(bundle, List.of(), "random weights", new StepServedPolicy.Options("step:2",
                     List.of(), settings, RuntimeKind.ONNX, 2));
             PolicyServer server = PolicyServer.start(served, ServeConfig.loopback(0))) {
            Throwable failure = assertThrows(RuntimeException.class, () -> new ClosedLoopEvaluation(
                    (s, m) -> new NewestOnly(server.target(), false), settings, ev, 1).run(spec, 100000, 2, 0, null, null));
            StatusRuntimeException refused = null;
            for (Throwable t = failure; t != null && refused == null; t = t.getCause())
                if (t instanceof StatusRuntimeException sre) refused = sre;
            assertTrue(refused != null, "not a status: " + failure);
            assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
            assertTrue(refused.getStatus().getDescription().contains("expected the 2 observations taken since then (got 1)"),
                    refused.getStatus().getDescription());

            MethodResult window = new ClosedLoopEvaluation((s, m) -> ServerPolicy.open(server.target(), null, s.label()),
                    settings, ev, 1).run(spec, 100000, 3, 0, null, null);
            MethodResult stale = new ClosedLoopEvaluation((s, m) -> new NewestOnly(server.target(), true),
                    settings, ev, 1).run(spec, 100000, 3, 0, null, null);
            // Accepted when said explicitly (PolicyServerTest checks the chunks it then gives against the stale window).
            assertEquals(3, stale.episodeScores().size());
            assertEquals(3, window.episodeScores().size());
        }
    }

    /** The misuse: only the newest observation of the window, stamped with its simulated time. */
    private static final class NewestOnly implements ClosedLoopEvaluation.EvalPolicy {
        private final PolicyClient client;
        private final PolicyClient.Session session;
        private final boolean allowGap;
        private long calls;

        NewestOnly(String target, boolean allowGap) {
            this.client = PolicyClient.connect(target);
            this.session = client.openSession("step:2", null, null);
            this.allowGap = allowGap;
        }

        @Override
        public void reset(long seed) {
            session.reset(seed);
            calls = 0;
        }

        @Override
        public double[][] act(double[][] window) {
            long t = calls++ * 8 * session.controlPeriodNs();
            return session.act(new double[][] {window[window.length - 1]}, t, false, allowGap).actions();
        }

        @Override
        public List<CallLatency> latencies() { return List.of(); }

        @Override
        public void close() {
            session.close();
            client.close();
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
