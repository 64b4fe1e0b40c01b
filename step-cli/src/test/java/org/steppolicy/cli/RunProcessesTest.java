package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.models.Checkpoint;

/**
 * Issue 16 with real processes, as a user would meet it: two `step train-dp` JVMs on one --out (the second is
 * refused, the first finishes with a consistent folder), and Ctrl-C (SIGINT) during training (checkpoint, exit 130).
 */
class RunProcessesTest {
    @TempDir
    Path tmp;

    /** A `step` JVM with this test's classpath, run from the repository root like ./step. */
    static Process step(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), StepCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false)
                .redirectOutput(log.resolveSibling(log.getFileName() + ".out").toFile()).redirectError(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    static String[] trainArgs(Path data, Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("train-dp"));
        a.addAll(List.of(RobustnessTest.TINY));
        a.addAll(List.of("--data", data.toString(), "--out", out.toString(), "training.val_every=50"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** Waits until {@code file} exists and has at least {@code lines} lines, or the process ends. */
    static boolean await(Path file, int lines, Process p, long seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            if (Files.exists(file) && (lines == 0 || Files.readAllLines(file).size() >= lines)) return true;
            if (!p.isAlive()) return false;
            Thread.sleep(100);
        }
        return false;
    }

    // 1. Two runs started into one folder both wrote into it.
    @Test
    void aSecondProcessIsRefusedWhileTheFirstFinishesWithAConsistentFolder() throws Exception {
        Path data = new PushTFile().write(tmp.resolve("pusht.hdf5"));
        Path out = tmp.resolve("run");
        Process first = step(tmp.resolve("first.err"), trainArgs(data, out, "--max-steps", "20", "training.checkpoint_every=5"));
        try {
            assertTrue(await(out.resolve("run.lock"), 0, first, 120), "the first run took its lock: " + Files.readString(tmp.resolve("first.err")));
            Process second = step(tmp.resolve("second.err"), trainArgs(data, out, "--max-steps", "20", "training.seed=7"));
            assertTrue(second.waitFor(120, TimeUnit.SECONDS));
            boolean firstWasRunning = first.isAlive();
            String err = Files.readString(tmp.resolve("second.err"));
            assertEquals(2, second.exitValue(), err);
            assertEquals(1, err.strip().lines().filter(l -> l.startsWith("error: ")).count(), err);
            if (firstWasRunning)
                assertTrue(err.contains("error: --out " + out + " is in use by process " + first.pid() + " (running since "), err);
            else
                assertTrue(err.contains("already holds"), err);

            assertTrue(first.waitFor(300, TimeUnit.SECONDS), "the first run finishes");
            assertEquals(0, first.exitValue(), Files.readString(tmp.resolve("first.err")));
        } finally {
            first.destroyForcibly();
        }
        // one run's folder: metrics 1..20 once each, every checkpoint of seed 42, no lock left
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"));
        assertEquals(21, csv.size());
        for (int i = 1; i <= 20; i++) assertTrue(csv.get(i).startsWith(i + ","), csv.get(i));
        List<Path> cks = Checkpoint.list(out);
        assertTrue(cks.size() >= 3, "keep_last 3 (and the best) of 5, 10, 15, 20");
        for (Path ck : cks) assertTrue(Checkpoint.load(ck).configYaml().contains("seed: 42"), ck.toString());
        assertEquals(20, Checkpoint.readMeta(Checkpoint.resolve(out)).step());
        assertFalse(Files.exists(out.resolve("run.lock")));
    }

    /** Linux: whether SIGINT (bit 1 of the SigIgn mask) is ignored by this JVM; false where that cannot be read. */
    static boolean sigintIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 2L) != 0;
        } catch (IOException | NumberFormatException e) {
            // not Linux: assume the signal is delivered
        }
        return false;
    }

    // 8. Ctrl-C loses everything since the last checkpoint.
    @Test
    void ctrlCFinishesTheStepWritesACheckpointAndExits130() throws Exception {
        assumeTrue(!System.getProperty("os.name").toLowerCase().contains("win"), "POSIX signals");
        // A build started in the background of a non-interactive shell (nohup ... &) ignores SIGINT, and the run it
        // starts inherits that: kill -INT cannot reach it there, as Ctrl-C cannot (SIGTERM still stops it).
        assumeTrue(!sigintIgnored(), "SIGINT is ignored in this process, so also in the run it starts");
        Path data = new PushTFile().write(tmp.resolve("pusht.hdf5"));
        Path out = tmp.resolve("run");
        // --verbose: a failure here prints its stack trace into run.err (one CI run saw an NPE inside an ND4J op as the
        // signal arrived; not reproduced since)
        Process p = step(tmp.resolve("run.err"), trainArgs(data, out, "--verbose", "--max-steps", "100000", "training.checkpoint_every=100000"));
        try {
            assertTrue(await(out.resolve("metrics.csv"), 3, p, 180), "training started: " + Files.readString(tmp.resolve("run.err")));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "stops after the step");
        } finally {
            p.destroyForcibly();
        }
        String err = Files.readString(tmp.resolve("run.err"));
        assertEquals(130, p.exitValue(), err);
        Path ck = Checkpoint.resolve(out);
        long step = Checkpoint.readMeta(ck).step();
        assertTrue(step >= 2, "a checkpoint of the step it was at: " + step);
        assertTrue(err.contains("interrupted at step " + step + ": wrote checkpoint " + ck + "; continue with --resume " + out), err);
        assertFalse(Files.exists(out.resolve("run.lock")), "lock released");
        assertEquals(step, Checkpoint.load(ck).step(), "the checkpoint is complete and verifies");
        assertTrue(Files.readAllLines(out.resolve("metrics.csv")).size() >= step + 1);
        assertFalse(err.contains("internal failure"), err);
    }
}
