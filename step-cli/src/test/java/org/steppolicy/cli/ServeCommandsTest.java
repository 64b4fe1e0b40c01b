package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `bench serve` on random weights of a tiny config; `serve` argument errors (serving itself: scripts/serve-python-check.sh). */
class ServeCommandsTest {
    static final String[] TINY = {"--config", "configs/pusht-small.yaml", "--random-weights", "policy.down_dims=[16,32]",
            "policy.diffusion_step_embed_dim=16", "predictor.d_model=32", "predictor.dim_feedforward=64"};

    @Test
    void benchServePrintsTheTableAndWritesJson(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("serve.json");
        StepCliTest.Result r = StepCliTest.run(StepCliTest.args(new String[] {"bench", "serve", "--sessions", "2", "--requests", "20",
                "--warmup", "2", "--rounds", "2", "--json", json.toString()}, TINY));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| in-process policy | 1 | 20 / 20 | 0 |"), r.out());
        assertTrue(r.out().contains("server overhead at p50"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(3, j.get("runs").size());
        for (JsonNode run : j.get("runs")) assertEquals(0, run.get("errors").asInt());
    }

    @Test
    void benchAsyncOnTheShippedPolicyPrintsBothModesAndWritesJson(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("async.json");
        Path shipped = java.nio.file.Files.isDirectory(Path.of("models/pusht-lowdim")) ? Path.of("models/pusht-lowdim")
                : Path.of("../models/pusht-lowdim");
        StepCliTest.Result r = StepCliTest.run("bench", "async", "--dp", shipped.toAbsolutePath().normalize().toString(), "--latencies", "3",
                "--episodes", "1", "--max-steps", "24", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| sync | 3 | 1 |") && r.out().contains("| async | 3 | 1 |"), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, j.get("rows").size());
        assertEquals(0, j.get("rows").get(1).get("idle_ticks").asInt(), "async: no idle tick");
        assertTrue(j.get("rows").get(0).get("idle_ticks").asInt() > 0, "sync: idle while the policy computes");
    }

    @Test
    void serveArgumentErrorsAreOneLine() {
        StepCliTest.Result r = StepCliTest.run("serve", "--config", "configs/pusht-small.yaml");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--policy"), r.err());
        r = StepCliTest.run(StepCliTest.args(new String[] {"serve", "--idle-timeout", "soon"}, TINY));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not a duration"), r.err());
        r = StepCliTest.run(StepCliTest.args(new String[] {"serve", "--method", "ddim:2", "--methods", "spatial:2"}, TINY));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'spatial' predictor"), r.err());
    }
}
