package org.steppolicy.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.run.RunLock;
import org.steppolicy.train.TrainRuns;

/**
 * {@code step curve}: each checkpoint of a real (tiny) training run is evaluated as `step eval` would evaluate it,
 * points already in the folder are read rather than rerun (also once training pruned their checkpoint), and a folder
 * holding other settings is refused in one line.
 */
class LearningCurveTest {
    private static final Path DATA = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5");

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static Path run;

    static StepConfig config() {
        return ConfigLoader.load(Path.of("configs/pusht-small.yaml"), List.of("policy.down_dims=[8,16]", "policy.diffusion_step_embed_dim=16",
                "training.batch_size=8", "training.val_every=1", "training.checkpoint_every=1", "task.max_train_episodes=3",
                "task.eval_max_steps=24"));
    }

    /** Two optimiser steps, a checkpoint after each. */
    @BeforeAll
    static void train() {
        assumeTrue(Files.exists(DATA), "Push-T data absent: " + DATA);
        run = shared.resolve("dp");
        TrainRuns.trainDp(config(), run, 2L, null, null);
    }

    @AfterEach
    void release() {
        RunLock.releaseHeldBy(Thread.currentThread());
    }

    static EvalRequest eval(int episodes) {
        return EvalRequest.of(config(), run, List.of()).withMethods(MethodList.parse("ddim:2")).withEpisodes(episodes).withThreads(1).withVideos(0);
    }

    static LearningCurve.Request request(int episodes, long every, Path out) {
        return new LearningCurve.Request(eval(episodes), run, every, false, Duration.ofSeconds(1), out);
    }

    static List<LearningCurve.Point> curve(LearningCurve.Request r, StringWriter log) {
        return LearningCurve.run(r, new PrintWriter(log, true), () -> false);
    }

    @Test
    void everyCheckpointIsEvaluatedAsEvalWouldAndEvaluatedPointsAreRead() throws Exception {
        Path out = tmp.resolve("curve");
        StringWriter log = new StringWriter();
        List<LearningCurve.Point> points = curve(request(2, 1, out), log);
        assertEquals(List.of(1L, 2L), points.stream().map(LearningCurve.Point::step).toList());
        List<String> csv = Files.readAllLines(out.resolve(LearningCurve.CSV));
        assertEquals(3, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(2).startsWith("2,ddim:2,2,"), csv.get(2));
        assertTrue(Files.size(out.resolve(LearningCurve.PNG)) > 1000);
        assertTrue(Double.isFinite(points.get(1).valLoss()), "the checkpoint's validation loss");

        // the point at step 2 is `step eval` of that checkpoint: same episodes, same scores
        EvalSummary direct = Evaluation.run(eval(2).withDp(run.resolve("checkpoints/step-0000002")).withOut(tmp.resolve("eval")),
                new PrintWriter(new StringWriter()));
        assertEquals(direct.closedLoop().get(0).episodeScores(), points.get(1).result().episodeScores());

        // again, and after training pruned the first checkpoint: nothing runs, both points come back from their folders
        StringWriter again = new StringWriter();
        assertEquals(points.stream().map(p -> p.result().episodeScores()).toList(),
                curve(request(2, 1, out), again).stream().map(p -> p.result().episodeScores()).toList());
        assertTrue(again.toString().contains("(read from"), again.toString());
        Path pruned = shared.resolve("pruned");
        Files.move(run.resolve("checkpoints/step-0000001"), pruned);
        try {
            List<LearningCurve.Point> read = curve(request(2, 1, out), new StringWriter());
            assertEquals(List.of(1L, 2L), read.stream().map(LearningCurve.Point::step).toList());
            assertEquals(points.get(0).result().episodeScores(), read.get(0).result().episodeScores());
            assertTrue(Double.isNaN(read.get(0).valLoss()), "no checkpoint, no validation loss");
        } finally {
            Files.move(pruned, run.resolve("checkpoints/step-0000001"));
        }

        // --every 2 takes step 2 only; other settings in the same folder are refused, naming the difference
        assertEquals(List.of(2L), curve(request(2, 2, out), new StringWriter()).stream().map(LearningCurve.Point::step).toList());
        UserError e = assertThrows(UserError.class, () -> curve(request(3, 1, out), new StringWriter()));
        assertTrue(e.getMessage().contains("2 episodes per method, this request 3"), e.getMessage());
    }

    @Test
    void watchingReturnsWithThePointsWhenStopped() {
        Path csv = tmp.resolve("watch").resolve(LearningCurve.CSV);
        BooleanSupplier stop = () -> {   // once the point is in curve.csv: during the first wait for new checkpoints
            try {
                return Files.exists(csv) && Files.readAllLines(csv).size() == 2;
            } catch (java.io.IOException e) {
                return false;
            }
        };
        LearningCurve.Request r = new LearningCurve.Request(eval(1), run, 2, true, Duration.ofMinutes(5), tmp.resolve("watch"));
        long t0 = System.nanoTime();
        List<LearningCurve.Point> points = LearningCurve.run(r, new PrintWriter(new StringWriter()), stop);
        assertEquals(List.of(2L), points.stream().map(LearningCurve.Point::step).toList());
        assertTrue(System.nanoTime() - t0 < Duration.ofMinutes(4).toNanos(), "the stop ends the wait, not the poll interval");
        assertTrue(Files.exists(tmp.resolve("watch").resolve(LearningCurve.CSV)));
    }

    @Test
    void aRunWithoutCheckpointsAndBadSettingsAreOneLineErrors() {
        Path empty = tmp.resolve("empty");
        UserError none = assertThrows(UserError.class, () -> new LearningCurve.Request(eval(1), empty, 1, false, Duration.ofSeconds(1), tmp.resolve("c")));
        assertTrue(none.getMessage().contains("no checkpoint in " + empty), none.getMessage());
        UserError every = assertThrows(UserError.class, () -> request(1, 0, tmp.resolve("c")));
        assertTrue(every.getMessage().contains("--every"), every.getMessage());
        for (String m : List.of(none.getMessage(), every.getMessage())) assertTrue(!m.contains("\n"), m);
    }
}
