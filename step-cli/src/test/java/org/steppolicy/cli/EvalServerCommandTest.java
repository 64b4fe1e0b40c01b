package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.eval.EvalRequest;
import org.steppolicy.eval.Evaluation;
import org.steppolicy.eval.MethodList;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.serve.PolicyServer;
import org.steppolicy.serve.ServeConfig;
import org.steppolicy.serve.StepServedPolicy;

/** `step eval --server` is wiring: the CLI's results.json equals step-eval's run of the same request. */
class EvalServerCommandTest {
    static final List<String> TINY = List.of("policy.down_dims=[16,32]", "policy.diffusion_step_embed_dim=16",
            "predictor.d_model=32", "predictor.dim_feedforward=64", "task.eval_max_steps=40");

    @Test
    void evalServerWritesWhatTheLibraryComputes(@TempDir Path dir) throws Exception {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), TINY);
        PolicyBundle bundle = PolicyLoader.randomWeights(c, c.training().seed(), true);
        InferenceSettings settings = InferenceSettings.from(c.inference());
        try (StepServedPolicy served = StepServedPolicy.of(bundle, List.of(), "random weights",
                new StepServedPolicy.Options("step:2", List.of(), settings, RuntimeKind.ONNX, 2));
             PolicyServer server = PolicyServer.start(served, ServeConfig.loopback(0))) {
            List<Double> library = Evaluation.run(EvalRequest.of(c, null, List.of()).withMethods(MethodList.parse("step:2"))
                    .withEpisodes(3).withSeed(100000).withThreads(2).withVideos(0).withOut(dir.resolve("library"))
                    .withServer(new EvalRequest.ServerTarget(server.target(), null)), new java.io.PrintWriter(new java.io.StringWriter()))
                    .closedLoop().get(0).episodeScores();

            List<String> args = new ArrayList<>(List.of("eval", "--server", server.target(), "--config", "configs/pusht-small.yaml",
                    "--methods", "step:2", "--episodes", "3", "--seed", "100000", "--threads", "2", "--videos", "0",
                    "--out", dir.resolve("cli").toString()));
            args.addAll(TINY);
            StepCliTest.Result r = StepCliTest.run(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            JsonNode json = new ObjectMapper().readTree(dir.resolve("cli/results.json").toFile());
            List<Double> cli = new ArrayList<>();
            json.get(0).get("episode_scores").forEach(n -> cli.add(n.asDouble()));
            assertEquals(library, cli);

            StepCliTest.Result both = StepCliTest.run("eval", "--server", server.target(), "--dp", dir.toString());
            assertEquals(2, both.code());
            assertEquals("error: --server takes no --policy/--predictor: the server has the models", both.err().strip());

            // No --methods: the methods the server serves (here only its default, step:2), with the interval in the table.
            List<String> noMethods = new ArrayList<>(List.of("eval", "--server", server.target(), "--config", "configs/pusht-small.yaml",
                    "--episodes", "2", "--seed", "100000", "--threads", "2", "--videos", "0", "--compare", "step:2",
                    "--out", dir.resolve("served").toString()));
            noMethods.addAll(TINY);
            StepCliTest.Result all = StepCliTest.run(noMethods.toArray(String[]::new));
            assertEquals(0, all.code(), all.err());
            org.junit.jupiter.api.Assertions.assertTrue(all.out().contains("| mean score [95 % interval] |"), all.out());
            JsonNode servedJson = new ObjectMapper().readTree(dir.resolve("served/results.json").toFile());
            assertEquals(1, servedJson.size());
            assertEquals("step:2", servedJson.get(0).get("method").asText());
            assertEquals(100001, servedJson.get(0).get("episode_seeds").get(1).asLong());

            // --compare naming a method that is not evaluated, or no method at all: one line, exit 2.
            noMethods.set(noMethods.indexOf("step:2"), "ddim:2");
            noMethods.set(noMethods.indexOf(dir.resolve("served").toString()), dir.resolve("refused").toString());
            StepCliTest.Result unknown = StepCliTest.run(noMethods.toArray(String[]::new));
            assertEquals(2, unknown.code(), unknown.err());
            assertEquals("error: --compare ddim:2: not among the evaluated methods (step:2)", unknown.err().strip());
            noMethods.set(noMethods.indexOf("ddim:2"), "warp:2");
            StepCliTest.Result bad = StepCliTest.run(noMethods.toArray(String[]::new));
            assertEquals(2, bad.code(), bad.err());
            assertEquals(1, bad.err().strip().lines().count(), bad.err());
            org.junit.jupiter.api.Assertions.assertTrue(bad.err().startsWith("error: --compare: "), bad.err());
        }
    }
}
