package org.steppolicy.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.eval.EvalRequest;
import org.steppolicy.eval.Evaluation;
import org.steppolicy.eval.MethodList;
import org.steppolicy.eval.MethodResult;

/**
 * A sweep's per-episode scores equal `step eval`'s (step-eval's {@link Evaluation}, the route the command takes) for
 * the same policy, methods and seeds, exactly, however Spark partitions the tasks and when a task fails once and is
 * retried. One small local sweep: the shipped policy, step:2 and ddim:2, two seed blocks of two 40-step episodes.
 */
class SweepTest {
    private static final Path POLICY = Path.of("models/pusht-lowdim");
    private static final String GRID = """
            policies:
              - models/pusht-lowdim
            methods:
              - step:2
              - ddim:2
            seeds:
              - {seed: 100000, episodes: 2}
              - {seed: 100002, episodes: 2}
            """;

    private static StepConfig config;
    /** method label -> per-episode scores of `step eval --episodes 4 --seed 100000` */
    private static Map<String, List<Double>> evaluated;

    @BeforeAll
    static void evaluateInProcess(@TempDir Path tmp) {
        // Short episodes, and a 10-step DDIM cold start instead of the 100-step DDPM chain: Spark's start dominates then.
        config = ConfigLoader.load(Path.of("configs/pusht-small.yaml"),
                List.of("task.eval_max_steps=40", "inference.cold_start_solver=ddim", "inference.cold_start_steps=10"));
        EvalRequest r = EvalRequest.of(config, POLICY, List.of()).withMethods(MethodList.parse("step:2,ddim:2"))
                .withEpisodes(4).withSeed(100000).withThreads(2).withVideos(0).withOut(tmp.resolve("eval"));
        evaluated = new LinkedHashMap<>();
        for (MethodResult m : Evaluation.run(r, new PrintWriter(new StringWriter())).closedLoop()) evaluated.put(m.method(), m.episodeScores());
        assertEquals(List.of("step:2", "ddim:2"), List.copyOf(evaluated.keySet()));
    }

    @Test
    void twoPartitionsGiveTheEvaluationsScores(@TempDir Path tmp) throws Exception {
        SweepSummary s = sweep(tmp, "local[2]", 2, false);
        assertSameAsEvaluation(s);
        List<String> csv = Files.readAllLines(tmp.resolve("out/results.csv"));
        assertEquals(SweepEpisode.HEADER, csv.get(0));
        assertEquals(1 + 8, csv.size());
        for (String f : List.of("config.yaml", "grid.yaml", "results.json", "results.md", "score_vs_latency.png"))
            assertTrue(Files.isRegularFile(tmp.resolve("out").resolve(f)), f);
    }

    @Test
    void onePartitionWithARetriedTaskGivesTheEvaluationsScores(@TempDir Path tmp) {
        // local[1,2]: one slot, a task may fail once; the hook fails the only task's first attempt after its first
        // block (of four), so the job only completes through Spark's retry.
        assertSameAsEvaluation(sweep(tmp, "local[1,2]", 1, true));
    }

    private static SweepSummary sweep(Path tmp, String master, int partitions, boolean failFirstAttempt) {
        SweepGrid grid = SweepGrid.parse(tmp.resolve("grid.yaml"), GRID);
        SweepRequest r = SweepRequest.of(config, grid, tmp.resolve("out")).withMaster(master).withPartitions(partitions)
                .withFailFirstAttempt(failFirstAttempt);
        return Sweep.run(r, new PrintWriter(new StringWriter()), null);
    }

    private static void assertSameAsEvaluation(SweepSummary s) {
        assertEquals(2, s.cells().size());
        for (MethodResult cell : s.cells()) {
            assertEquals(List.of(100000L, 100001L, 100002L, 100003L), cell.episodeSeeds(), cell.method());
            assertEquals(evaluated.get(cell.method()), cell.episodeScores(), cell.method());
        }
    }
}
