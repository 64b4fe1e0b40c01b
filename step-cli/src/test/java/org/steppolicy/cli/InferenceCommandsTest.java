package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** export-onnx and bench on random weights of a tiny config (no checkpoints needed). */
class InferenceCommandsTest {
    @TempDir
    Path tmp;

    static final String[] TINY = {"--config", "configs/pusht-small.yaml", "--random-weights", "policy.down_dims=[16,32]",
            "policy.diffusion_step_embed_dim=16", "predictor.d_model=32", "predictor.dim_feedforward=64"};

    private static String[] args(String[] head, String... tail) {
        return StepCliTest.args(head, TINY, tail);
    }

    @Test
    void exportOnnxWritesModelsAndSidecar() throws Exception {
        StepCliTest.Result r = StepCliTest.run(args(new String[] {"export-onnx", "--out", tmp.toString()}));
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"dp.onnx", "predictor.onnx", "policy.json"}) assertTrue(Files.size(tmp.resolve(f)) > 0, f);
        JsonNode side = new ObjectMapper().readTree(tmp.resolve("policy.json").toFile());
        assertEquals(8, side.get("n_action_steps").asInt());
    }

    @Test
    void benchPrintsTheTableAndWritesJson() throws Exception {
        Path json = tmp.resolve("bench.json");
        StepCliTest.Result r = StepCliTest.run(args(new String[] {"bench", "--runtime", "onnx", "--calls", "5", "--slow-calls", "2",
                "--warmup", "1", "--methods", "ddpm:100,step:2", "--json", json.toString()}));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("unet_forward"), r.out());
        JsonNode a = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, a.size());
        assertEquals("unet_forward", a.get(0).get("method").asText());
        assertEquals("ddpm", a.get(1).get("method").asText());
        assertEquals(100, a.get(1).get("steps").asInt());
        assertEquals(2, a.get(1).get("calls").asInt());
        JsonNode step = a.get(2);
        assertEquals("onnx", step.get("runtime").asText());
        assertEquals(5, step.get("calls").asInt());
        assertTrue(step.get("latency_ms_median").asDouble() > 0 && step.get("latency_ms_p95").asDouble() >= step.get("latency_ms_median").asDouble());
        assertTrue(step.get("predictor_ms_median").asDouble() > 0);
    }

    @Test
    void benchWithoutWeightsIsAUserError() {
        StepCliTest.Result r = StepCliTest.run("bench", "--config", "configs/pusht-small.yaml");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--policy"), r.err());
    }
}
