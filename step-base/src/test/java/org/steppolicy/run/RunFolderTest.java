package org.steppolicy.run;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.UserError;

class RunFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aLiveLockRefusesASecondClaimAndIsReleasedOnClose() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunFolder first = RunFolder.claim(dir, RunFolder.Kind.TRAINING, false, false)) {
            assertTrue(Files.readString(dir.resolve(RunLock.FILE)).contains("pid=" + ProcessHandle.current().pid()));
            UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, RunFolder.Kind.TRAINING, false, false));
            assertTrue(e.getMessage().startsWith("--out " + dir + " is in use by process " + ProcessHandle.current().pid()), e.getMessage());
            first.writeText("config.yaml", "x");
        }
        assertFalse(Files.exists(dir.resolve(RunLock.FILE)));
        UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, RunFolder.Kind.EVALUATION, false, false));
        assertEquals("--out " + dir + " already holds an unfinished run (config.yaml): replace it with --force or choose another --out", e.getMessage());
    }

    @Test
    void aStaleLockIsTakenOver() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        // a pid that is not running (pid_max is far below this) left its lock behind
        Files.writeString(dir.resolve(RunLock.FILE), "pid=999999999\nprocess_start=\nacquired=2020-01-01T00:00:00Z\nhost=\ntoken=t\n");
        try (RunFolder f = RunFolder.claim(dir, RunFolder.Kind.TRAINING, false, false)) {
            assertTrue(Files.readString(dir.resolve(RunLock.FILE)).contains("pid=" + ProcessHandle.current().pid()));
        }
    }

    @Test
    void forceDeletesOnlyRunFilesAndAFailedClaimLeavesNothing() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.createDirectories(dir.resolve("checkpoints/step-0000002"));
        Files.writeString(dir.resolve("checkpoints/step-0000002/meta.json"), "{\"kind\": \"dp\", \"step\": 2}");
        Files.writeString(dir.resolve("metrics.csv"), "x");
        UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, RunFolder.Kind.TRAINING, false, false));
        assertTrue(e.getMessage().contains("already holds a dp training run with checkpoints up to step 2: continue it with --resume"), e.getMessage());
        try (RunFolder f = RunFolder.claim(dir, RunFolder.Kind.TRAINING, true, false)) {
            try (var s = Files.list(dir)) {
                assertEquals(1, s.count(), "only the lock is left");
            }
        }
        Path fresh = tmp.resolve("fresh");
        RunFolder.claim(fresh, RunFolder.Kind.EXPORT, false, false).close();
        assertFalse(Files.exists(fresh), "a folder the claim created and nothing was written to is removed");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertEquals("--out " + file + " is a file; give a folder (new or empty)",
                assertThrows(UserError.class, () -> RunFolder.claim(file, RunFolder.Kind.EXPORT, false, false)).getMessage());
    }

    /** A dp training run as train-dp leaves it, one checkpoint being replaced. */
    private Path trainingRun() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        for (String step : new String[] {"step-0000002", "step-0000004.tmp"}) {
            Path ck = Files.createDirectories(dir.resolve("checkpoints").resolve(step));
            Files.writeString(ck.resolve("meta.json"), "{\"kind\": \"dp\", \"step\": 2}");
            for (String f : new String[] {"model.tensors", "ema.tensors", "optimizer.bin", "normalizer.json", "config.yaml", "data.json",
                    "checksums.sha256"}) Files.writeString(ck.resolve(f), "x");
        }
        for (String f : new String[] {"config.yaml", "metrics.csv", "loss.png", "loss.png.tmp"}) Files.writeString(dir.resolve(f), "x");
        return dir;
    }

    private static long files(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            return s.count();
        }
    }

    @Test
    void forceRefusesAnythingARunOfThatKindDoesNotWriteAtAnyDepthAndDeletesNothing() throws Exception {
        Path dir = trainingRun();
        Path outside = Files.writeString(tmp.resolve("precious.txt"), "mine");
        String[][] foreign = {
                {"checkpoints/notes.txt", "checkpoints/notes.txt"},
                {"checkpoints/best-keep/model.tensors", "checkpoints/best-keep/"},
                {"checkpoints/step-0000002/mine.txt", "checkpoints/step-0000002/mine.txt"},
                {"results.json", "results.json"}};   // an evaluation's file is not a training run's
        for (String[] f : foreign) {
            Path p = dir.resolve(f[0]);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "mine");
            long before = files(dir);
            UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, RunFolder.Kind.TRAINING, true, false));
            assertTrue(e.getMessage().startsWith("--out " + dir + " holds " + f[1] + ", which a training run does not write: --force"),
                    e.getMessage());
            assertEquals(before, files(dir), "nothing deleted");
            RunFolder.deleteTree(dir.resolve(f[0].contains("best-keep") ? "checkpoints/best-keep" : f[0]));
        }
        // a link, even under a name runs write, is the user's: deleting through it could reach anything
        Files.delete(dir.resolve("loss.png"));
        Files.createSymbolicLink(dir.resolve("loss.png"), outside);
        UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, RunFolder.Kind.TRAINING, true, false));
        assertTrue(e.getMessage().contains("loss.png (a symbolic link)"), e.getMessage());
        Files.delete(dir.resolve("loss.png"));
        // what is left is all the run's: --force removes it, at every depth
        try (RunFolder f = RunFolder.claim(dir, RunFolder.Kind.TRAINING, true, false)) {
            assertEquals(2, files(dir), "the folder and its lock");
        }
        assertEquals("mine", Files.readString(outside));
    }

    @Test
    void forceKnowsWhatEvaluationsAndExportsWrite() throws Exception {
        Path export = Files.createDirectories(tmp.resolve("export"));
        for (String f : new String[] {"dp.onnx", "dp.onnx.tmp", "predictor.onnx", "predictor-spatial.onnx", "policy.json", "checksums.sha256"})
            Files.writeString(export.resolve(f), "x");
        RunFolder.claim(export, RunFolder.Kind.EXPORT, true, false).close();
        assertEquals(1, files(export));
        Path eval = Files.createDirectories(tmp.resolve("eval/videos"));
        Files.writeString(eval.resolve("ddim-2_seed100000.gif"), "x");
        Files.writeString(eval.resolve("keep.mp4"), "x");
        Files.writeString(eval.resolveSibling("results.json"), "x");
        UserError e = assertThrows(UserError.class, () -> RunFolder.claim(eval.getParent(), RunFolder.Kind.EVALUATION, true, false));
        assertTrue(e.getMessage().contains("holds videos/keep.mp4, which an evaluation does not write"), e.getMessage());
        Files.delete(eval.resolve("keep.mp4"));
        RunFolder.claim(eval.getParent(), RunFolder.Kind.EVALUATION, true, false).close();
        assertEquals(1, files(eval.getParent()));
    }

    /**
     * Several takers of one stale lock at the same moment: exactly one wins each time, the others are told the
     * folder is in use (before, a slow taker deleted the lock the fast one had just written, and both trained into
     * one folder). Threads of one JVM race here as processes do: each judges the others' locks by their token.
     */
    @Test
    void aStaleLockHasExactlyOneTakerAmongConcurrentOnes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        int takers = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(takers);
        try {
            for (int round = 0; round < 40; round++) {
                // a dead pid's lock, or (one round) a garbage one: both are stale
                Files.writeString(dir.resolve(RunLock.FILE), round == 0 ? "\u0000garbage"
                        : "pid=999999999\nprocess_start=\nacquired=2020-01-01T00:00:00Z\nhost=\ntoken=t" + round + "\n");
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(takers);
                java.util.List<java.util.concurrent.Future<RunLock>> got = new java.util.ArrayList<>();
                for (int t = 0; t < takers; t++)
                    got.add(pool.submit(() -> {
                        start.await();
                        try {
                            return RunLock.acquire(dir, "--out " + dir);
                        } catch (UserError e) {
                            assertTrue(e.getMessage().contains("is in use by process"), e.getMessage());
                            return null;
                        }
                    }));
                java.util.List<RunLock> winners = new java.util.ArrayList<>();
                for (var f : got) {
                    RunLock l = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                    if (l != null) winners.add(l);
                }
                assertEquals(1, winners.size(), "round " + round + ": " + winners.size() + " takers hold the lock");
                assertEquals(winners.get(0).holder().token(), RunLock.readHolder(dir.resolve(RunLock.FILE)).token());
                winners.get(0).close();
                try (var s = Files.list(dir)) {
                    assertEquals(0, s.count(), "no lock or takeover file is left");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Wording (issue 21 item 10): a run stopped before its first checkpoint is not offered --resume, which would refuse. */
    @Test
    void aRunWithoutACheckpointIsNotToldToResume() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(dir.resolve("config.yaml"), "x");
        Files.writeString(dir.resolve("metrics.csv"), "x");
        UserError e = assertThrows(UserError.class, () -> RunFolder.claim(dir, RunFolder.Kind.TRAINING, false, false));
        assertTrue(e.getMessage().endsWith("it has no checkpoint to resume from: start over with --force or choose another --out"), e.getMessage());
        assertFalse(e.getMessage().contains("--resume " + dir), e.getMessage());
    }

    /** Wording: a symbolic link loop is named as such, not as a missing file. */
    @Test
    void aSymbolicLinkLoopIsNamed() throws Exception {
        Path a = tmp.resolve("a.hdf5"), b = tmp.resolve("b.hdf5");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        assertTrue(FileErrors.whyNotAFile(a).startsWith("a symbolic link loop"), FileErrors.whyNotAFile(a));
        Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("gone"));
        assertEquals("a symbolic link to a missing file", FileErrors.whyNotAFile(tmp.resolve("dangling")));
        assertEquals("no such file", FileErrors.whyNotAFile(tmp.resolve("absent")));
        assertEquals("a folder, not a file", FileErrors.whyNotAFile(tmp));
    }
}
