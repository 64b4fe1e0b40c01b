package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.runtime.OnnxExport;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.run.RunLock;

/**
 * Ctrl-C during an evaluation (a stop flag here, StopSignal in the CLI) writes the results so far, the interrupted
 * method marked partial; --resume runs only what is missing and gives exactly an uninterrupted run's episodes.
 */
class EvalStopTest {
    static final List<String> TINY = List.of("policy.down_dims=[16,32]", "policy.diffusion_step_embed_dim=16",
            "predictor.d_model=32", "predictor.dim_feedforward=64", "task.eval_max_steps=40");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static Path export;
    static Path reference;

    static StepConfig config(String... more) {
        List<String> o = new ArrayList<>(TINY);
        o.addAll(List.of(more));
        return ConfigLoader.load(Path.of("configs/pusht-small.yaml"), o);
    }

    static EvalRequest request(StepConfig c, Path out) {
        return EvalRequest.of(c, export, List.of()).withMethods(MethodList.parse("ddim:2,step:2")).withEpisodes(4).withThreads(1)
                .withVideos(0).withOut(out);
    }

    /** A tiny random-weight policy exported with a step predictor, and its uninterrupted evaluation. */
    @BeforeAll
    static void uninterrupted() throws Exception {
        StepConfig c = config();
        PolicyBundle b = PolicyLoader.randomWeights(c, c.training().seed(), true);
        export = shared.resolve("export");
        OnnxExport.write(b.withPredictor(null), List.of(b.predictor()), export);
        reference = shared.resolve("reference");
        run(request(c, reference), quiet());
    }

    /** As the CLI: the run folder's lock goes when the command ends, however it ends. */
    static EvalSummary run(EvalRequest r, PrintWriter log) { return run(r, log, () -> false); }

    static EvalSummary run(EvalRequest r, PrintWriter log, BooleanSupplier stop) {
        try {
            return Evaluation.run(r, log, stop);
        } finally {
            RunLock.releaseHeldBy(Thread.currentThread());
        }
    }

    static PrintWriter quiet() { return new PrintWriter(new StringWriter()); }

    /** True from its n-th poll on (Evaluation polls before each method and before each episode it would start). */
    static BooleanSupplier stopAtPoll(int n) {
        AtomicInteger polls = new AtomicInteger();
        return () -> polls.incrementAndGet() >= n;
    }

    /** results.json without what differs from run to run (timings) or is merged approximately (stall-test norm percentiles). */
    static JsonNode withoutTimings(Path dir) throws Exception {
        ArrayNode arr = (ArrayNode) JSON.readTree(dir.resolve("results.json").toFile());
        for (JsonNode m : arr) {
            ObjectNode o = (ObjectNode) m;
            for (String f : List.of("latency_ms_median", "latency_ms_p95", "predictor_ms_median", "predictor_ms_p95", "diffusion_ms_median",
                    "diffusion_ms_p95", "latency_ms_mean_all_calls"))
                o.remove(f);
            if (o.get("stall_test") instanceof ObjectNode st) List.of("norm_min", "norm_p05", "norm_p50", "norm_p95").forEach(st::remove);
        }
        return arr;
    }

    @Test
    void aStopMidMethodWritesItPartialAndResumeGivesTheUninterruptedResults() throws Exception {
        Path out = tmp.resolve("eval");
        // polls: method 1, its episodes 0-3 and the end of its seeds (6), method 2, its episodes 0 and 1, then stop
        EvalInterrupted e = assertThrows(EvalInterrupted.class, () -> run(request(config(), out), quiet(), stopAtPoll(10)));
        assertTrue(e.getMessage().contains("1 complete method, step:2 partial (2 of 4 episodes)"), e.getMessage());
        assertTrue(e.getMessage().contains("step eval --resume " + out), e.getMessage());

        JsonNode partial = JSON.readTree(out.resolve("results.json").toFile());
        assertEquals(2, partial.size());
        assertTrue(partial.get(0).get("complete").asBoolean());
        assertFalse(partial.get(0).has("partial"));
        assertEquals(4, partial.get(0).get("episodes").asInt());
        JsonNode step = partial.get(1);
        assertFalse(step.get("complete").asBoolean());
        assertTrue(step.get("partial").asBoolean());
        assertEquals(2, step.get("episodes").asInt());
        assertEquals(4, step.get("episodes_planned").asInt());
        assertEquals("[100000,100001]", step.get("episode_seeds").toString());
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| step:2 (partial) | 2 | 2 of 4 |"), md);
        assertTrue(md.contains("interrupted: partial results"), md);
        assertTrue(Files.exists(out.resolve("score_vs_latency.png")));

        // Without --resume the folder is refused as before; with it only step:2's episodes 2 and 3 run.
        assertThrows(UserError.class, () -> run(request(config(), out), quiet()));
        StringWriter log = new StringWriter();
        EvalSummary s = run(request(config(), out).withResume(out), new PrintWriter(log, true));
        assertEquals(1, log.toString().lines().count(), log.toString());   // ddim:2 is not run again
        EvalSummary ref = summary(reference);
        for (int i = 0; i < 2; i++) {
            assertEquals(ref.closedLoop().get(i).episodeScores(), s.closedLoop().get(i).episodeScores());
            assertEquals(ref.closedLoop().get(i).episodeSeeds(), s.closedLoop().get(i).episodeSeeds());
        }
        assertEquals(withoutTimings(reference), withoutTimings(out));
        assertFalse(Files.readString(out.resolve("results.md")).contains("partial"));
    }

    @Test
    void aStopBeforeTheFirstEpisodeLeavesTheConfigAndResumeRunsEverything() throws Exception {
        Path out = tmp.resolve("eval");
        EvalInterrupted e = assertThrows(EvalInterrupted.class, () -> run(request(config(), out), quiet(), () -> true));
        assertTrue(e.getMessage().contains("holds only config.yaml"), e.getMessage());
        assertFalse(Files.exists(out.resolve("results.json")));
        // config.yaml records what was asked, so the request can be rebuilt from it alone
        StepConfig recorded = ConfigLoader.fromResolvedYaml(Files.readString(out.resolve("config.yaml")), "config.yaml");
        assertEquals("ddim:2,step:2", recorded.eval().methods());
        assertEquals(4, recorded.eval().episodes());
        run(request(config(), out).withResume(out), quiet());
        assertEquals(withoutTimings(reference), withoutTimings(out));
    }

    @Test
    void aStopBetweenMethodsAndOnTwoThreadsResumesToTheSameEpisodes() throws Exception {
        Path out = tmp.resolve("eval");
        EvalRequest r = request(config(), out).withThreads(2);
        // two workers poll concurrently: where it stops varies, what the resume gives must not
        assertThrows(EvalInterrupted.class, () -> run(r, quiet(), stopAtPoll(5)));
        JsonNode partial = JSON.readTree(out.resolve("results.json").toFile());
        JsonNode seeds = partial.get(partial.size() - 1).get("episode_seeds");
        for (int k = 0; k < seeds.size(); k++) assertEquals(100000 + k, seeds.get(k).asLong(), "a prefix of the seeds: " + seeds);
        run(r.withResume(out), quiet());
        JsonNode resumed = withoutTimings(out), ref = withoutTimings(reference);
        for (int i = 0; i < 2; i++) {
            assertEquals(ref.get(i).get("episode_scores"), resumed.get(i).get("episode_scores"));
            assertEquals(ref.get(i).get("mean_score"), resumed.get(i).get("mean_score"));
        }
    }

    @Test
    void resumeRefusesARequestThatDiffersInWhatMatters() throws Exception {
        Path out = tmp.resolve("eval");
        assertThrows(EvalInterrupted.class, () -> run(request(config(), out), quiet(), stopAtPoll(10)));
        String before = Files.readString(out.resolve("results.json"));
        List<String> messages = new ArrayList<>();
        for (EvalRequest r : List.of(request(config(), out).withEpisodes(5), request(config(), out).withSeed(7),
                request(config(), out).withMethods(MethodList.parse("step:2,ddim:2")),
                request(config("task.eval_max_steps=30"), out),
                request(config(), out).withForce(true)))
            messages.add(assertThrows(UserError.class, () -> run(r.withResume(out), quiet())).getMessage());
        assertTrue(messages.get(0).contains("4 episodes per method, this request 5"), messages.get(0));
        assertTrue(messages.get(1).contains("from seed 100000, this request from 7"), messages.get(1));
        assertTrue(messages.get(2).contains("does not begin this request's methods"), messages.get(2));
        assertTrue(messages.get(3).contains("task.eval_max_steps"), messages.get(3));
        assertTrue(messages.get(4).contains("--force"), messages.get(4));
        assertEquals(before, Files.readString(out.resolve("results.json")), "a refused resume writes nothing");
        UserError none = assertThrows(UserError.class, () -> run(request(config(), tmp.resolve("none")).withResume(tmp.resolve("none")), quiet()));
        assertTrue(none.getMessage().contains("no such evaluation folder"), none.getMessage());
    }

    static EvalSummary summary(Path dir) {
        List<MethodResult> rs = EvalReport.read(dir.resolve("results.json")).stream().map(EvalReport.Stored::result).toList();
        return new EvalSummary(dir, rs, List.of(), null);
    }
}
