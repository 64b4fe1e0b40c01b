package org.steppolicy.cli;

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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.eval.EvalInterrupted;
import org.steppolicy.eval.EvalRequest;
import org.steppolicy.eval.Evaluation;
import org.steppolicy.eval.MethodList;
import org.steppolicy.infer.runtime.OnnxExport;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.run.RunLock;

/**
 * Issue 21 item 7 at the CLI: an interrupted evaluation (stopped through the stop flag StopSignal sets on Ctrl-C) is
 * reported in one line with exit 130, and `step eval --resume DIR` alone completes it from the folder's config and policy.
 */
class EvalResumeCommandTest {
    static final List<String> TINY = List.of("policy.down_dims=[16,32]", "policy.diffusion_step_embed_dim=16",
            "predictor.d_model=32", "predictor.dim_feedforward=64", "task.eval_max_steps=40");

    @TempDir
    Path tmp;

    @Test
    void anInterruptedEvaluationExits130AndResumeAloneCompletesIt() throws Exception {
        StepConfig c = ConfigLoader.load(Path.of("configs/pusht-small.yaml"), TINY);
        PolicyBundle b = PolicyLoader.randomWeights(c, c.training().seed(), true);
        Path export = tmp.resolve("export");
        OnnxExport.write(b.withPredictor(null), List.of(b.predictor()), export);
        Path out = tmp.resolve("eval");
        EvalRequest r = EvalRequest.of(c, export, List.of()).withMethods(MethodList.parse("ddim:2,step:2")).withEpisodes(3)
                .withThreads(1).withVideos(0).withOut(out);
        AtomicInteger polls = new AtomicInteger();
        EvalInterrupted stopped = assertThrows(EvalInterrupted.class, () -> {
            try {
                Evaluation.run(r, new PrintWriter(new StringWriter()), () -> polls.incrementAndGet() >= 8);   // step:2 after 1 episode
            } finally {
                RunLock.releaseHeldBy(Thread.currentThread());
            }
        });
        StringWriter err = new StringWriter();
        assertEquals(130, StepCli.report(stopped, false, new PrintWriter(err, true)));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("step:2 partial (1 of 3 episodes); finish it with: step eval --resume " + out), err.toString());

        // Refused as before without --resume, and with a request that differs in what matters: one line, exit 2.
        StringWriter so = new StringWriter(), se = new StringWriter();
        assertEquals(2, StepCli.run(new PrintWriter(so, true), new PrintWriter(se, true), "eval", "--resume", out.toString(), "--seed", "5"));
        assertTrue(se.toString().startsWith("error: --resume " + out + ": it ran from seed 100000, this request from 5"), se.toString());
        assertEquals(1, se.toString().strip().lines().count(), se.toString());

        // The command it names, alone: config (the tiny policy, 40 steps), methods, episodes, seed and policy come from the folder.
        se.getBuffer().setLength(0);
        int rc = StepCli.run(new PrintWriter(so, true), new PrintWriter(se, true), "eval", "--resume", out.toString());
        assertEquals(0, rc, se + "\n" + so);
        assertEquals(1, so.toString().lines().filter(l -> l.startsWith("step:2 ")).count(), "only step:2 runs: " + so);
        JsonNode done = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(2, done.size());
        for (JsonNode m : done) {
            assertTrue(m.get("complete").asBoolean(), m.toString());
            assertFalse(m.has("partial"));
            assertEquals("[100000,100001,100002]", m.get("episode_seeds").toString());
        }
        assertFalse(Files.readString(out.resolve("results.md")).contains("partial"));
        assertFalse(Files.exists(out.resolve("run.lock")));
    }
}
