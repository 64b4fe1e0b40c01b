package org.steppolicy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The quickstart end to end at toy scale: tiny networks, seconds of training, one short episode per method. */
class QuickstartCommandTest {
    static final Path DATA = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5");

    @Test
    void trainsBothPredictorsAndEvaluatesEveryMethod(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isRegularFile(DATA), "official Push-T data not found at " + DATA + ": skipping the quickstart test");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = StepCli.run(new PrintWriter(out, true), new PrintWriter(err, true),
                "quickstart", "--minutes", "0.05", "--episodes", "1", "--out", dir.toString(),
                "policy.down_dims=[8,16,32]", "policy.diffusion_step_embed_dim=16", "predictor.d_model=16",
                "predictor.dim_feedforward=32", "training.batch_size=16", "predictor_training.batch_size=16",
                "task.eval_max_steps=16", "eval.methods=ddpm:4,ddim:2,dpmsolver:2,spatial:2,temporal:2,step:2,predictor");
        assertEquals(0, code, err.toString());
        JsonNode results = new ObjectMapper().readTree(dir.resolve("eval/results.json").toFile());
        assertEquals(7, results.size());
        for (JsonNode r : results) {
            assertEquals(1, r.get("episodes").asInt());
            double score = r.get("mean_score").asDouble();
            assertTrue(score >= 0 && score <= 1, r.toString());
            assertTrue(r.get("latency_ms_median").asDouble() > 0, r.toString());
        }
        assertTrue(out.toString().contains("| step:2 |"), out.toString());
        assertTrue(Files.exists(dir.resolve("dp/loss.png")));
        assertTrue(Files.exists(dir.resolve("predictor-step/metrics.csv")));
        assertTrue(Files.exists(dir.resolve("predictor-spatial/config.yaml")));
        assertTrue(Files.exists(dir.resolve("eval/score_vs_latency.png")));
        assertTrue(Files.exists(dir.resolve("eval/videos/step-2_seed100000.gif")));
    }
}
