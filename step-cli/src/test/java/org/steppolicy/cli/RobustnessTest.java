package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, one test per problem found, each written as the user's command: the exit code, the line printed and
 * the files left behind. Runs on a small Push-T-shaped file the test writes (no official data needed).
 */
class RobustnessTest {
    static final String[] TINY = {"--config", "configs/pusht-small.yaml", "policy.down_dims=[8,16]", "policy.diffusion_step_embed_dim=16",
            "training.batch_size=4", "training.val_every=1", "training.checkpoint_every=1", "task.eval_max_steps=8"};

    @TempDir
    static Path shared;
    static Path data, dpRun;

    @TempDir
    Path tmp;

    /** One small data file and one trained DP, shared by the tests that evaluate or export. */
    @BeforeAll
    static void trainOnce() {
        data = new PushTFile().write(shared.resolve("pusht.hdf5"));
        dpRun = shared.resolve("dp");
        StepCliTest.Result r = train(data, "--out", dpRun.toString(), "--max-steps", "2");
        assertEquals(0, r.code(), r.err());
    }

    static StepCliTest.Result train(Path data, String... more) {
        List<String> a = new ArrayList<>(List.of("train-dp"));
        a.addAll(List.of(TINY));
        a.addAll(List.of("--data", data.toString()));
        a.addAll(List.of(more));
        return StepCliTest.run(a.toArray(String[]::new));
    }

    static StepCliTest.Result eval(String... more) {
        List<String> a = new ArrayList<>(List.of("eval"));
        a.addAll(List.of(TINY));
        a.addAll(List.of("--methods", "ddim:2"));   // no --data: the closed loop reads none (and refuses one)
        a.addAll(List.of(more));
        return StepCliTest.run(a.toArray(String[]::new));
    }

    /** Exit 2 with exactly one line, "error: " + {@code line}. */
    static void userError(StepCliTest.Result r, String line) {
        assertEquals(2, r.code(), r.err());
        assertEquals("error: " + line + "\n", r.err().replace("\r\n", "\n"));
    }

    /** Exit 2, one line starting "error: " and containing every fragment. */
    static void userErrorContaining(StepCliTest.Result r, String... fragments) {
        assertEquals(2, r.code(), r.err() + r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        for (String f : fragments) assertTrue(r.err().contains(f), "'" + f + "' in " + r.err());
    }

    static List<String> checkpoints(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static Path latest(Path run) throws IOException {
        List<String> c = checkpoints(run);
        return run.resolve("checkpoints").resolve(c.get(c.size() - 1));
    }

    static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
        return to;
    }

    // 1. A reused --out mixes or loses runs.
    @Test
    void closedLoopEvalRefusesADataFileItWouldNotRead() {
        // Issue 21 item 10: the Push-T evaluation runs in the simulator; --data, even a missing file, was ignored.
        Path missing = tmp.resolve("no-such.hdf5");
        StepCliTest.Result r = StepCliTest.run("eval", "--config", "configs/pusht-small.yaml", "--data", missing.toString(),
                "--dp", "models/pusht-lowdim", "--methods", "ddim:2", "--episodes", "1", "--out", tmp.resolve("eval").toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--data " + missing) && r.err().contains("runs in the simulator") && r.err().strip().lines().count() == 1, r.err());
        assertFalse(Files.exists(tmp.resolve("eval")), "nothing written");
    }

    @Test
    void item1_aFolderHoldingAnotherRunIsRefusedUnlessResumedOrForced() throws Exception {
        Path out = tmp.resolve("run");
        assertEquals(0, train(data, "--out", out.toString(), "--max-steps", "2").code());
        String metrics = Files.readString(out.resolve("metrics.csv"));

        StepCliTest.Result r = train(data, "--out", out.toString(), "--max-steps", "2", "training.seed=7");
        userError(r, "--out " + out + " already holds a dp training run with checkpoints up to step 2: continue it with --resume "
                + out + ", start over with --force, or choose another --out");
        assertEquals(metrics, Files.readString(out.resolve("metrics.csv")), "the old run is untouched");
        assertEquals(List.of("step-0000001", "step-0000002"), checkpoints(out));
        assertFalse(Files.exists(out.resolve("run.lock")), "no lock left behind");

        // --resume continues it in its own folder; the reported checkpoint exists
        r = train(data, "--resume", out.toString(), "--max-steps", "3");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trained steps 2..3, last checkpoint " + out.resolve("checkpoints/step-0000003")), r.out());
        assertTrue(Files.isDirectory(out.resolve("checkpoints/step-0000003")));

        // Without --config, --resume takes the run's own config.yaml (tiny U-Net, its data file): nothing is repeated
        String config = Files.readString(out.resolve("config.yaml"));
        r = StepCliTest.run("train-dp", "--resume", out.toString(), "--max-steps", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trained steps 3..4"), r.out());
        assertEquals(config.replace("max_steps: 3", "max_steps: 4"), Files.readString(out.resolve("config.yaml")).replace("max_steps: 3", "max_steps: 4"));

        // --force starts clean
        r = train(data, "--out", out.toString(), "--max-steps", "1", "--force", "training.seed=7");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("step-0000001"), checkpoints(out));
        assertEquals(2, Files.readAllLines(out.resolve("metrics.csv")).size(), "header and one row: the new run only");
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("seed: 7"));

        // --force never deletes what no run wrote
        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        Files.writeString(mixed.resolve("notes.txt"), "mine");
        r = train(data, "--out", mixed.toString(), "--max-steps", "1", "--force");
        userErrorContaining(r, "holds notes.txt, which a training run does not write: --force deletes only what a training run writes");
        assertTrue(Files.exists(mixed.resolve("notes.txt")));
    }

    // 2. Corrupt values train silently.
    @Test
    void item2_outliersWarnOrRefuseAndNonFiniteValuesAreRefused() throws Exception {
        PushTFile f = new PushTFile();
        f.badDemo = 2; f.badRow = 7; f.badDim = 1; f.badValue = 3.06e21f;
        Path bad = f.write(tmp.resolve("outlier.hdf5"));
        String finding = "demo_2 actions row 7 dim 1: 3.06000e+21";

        StepCliTest.Result r = train(bad, "--out", tmp.resolve("warned").toString(), "--max-steps", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("warning: " + bad + ": 1 value far outside their dimension's range, first " + finding), r.err());

        Path refused = tmp.resolve("refused");
        r = train(bad, "--out", refused.toString(), "--max-steps", "1", "task.outliers=refuse");
        userErrorContaining(r, bad + ": 1 value far outside", finding, "task.outliers=refuse");
        assertFalse(Files.exists(refused), "nothing written");

        r = StepCliTest.run("data", "info", bad.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("checks: ") && r.out().contains("  outlier " + finding), r.out());

        f.badValue = Float.NaN;
        Path nan = f.write(tmp.resolve("nan.hdf5"));
        r = train(nan, "--out", refused.toString(), "--max-steps", "1");
        userError(r, nan + ": /data/demo_2/actions: NaN at step 7, dim 1 (1 non-finite value in all; `step data info " + nan + "` lists them)");
        assertFalse(Files.exists(refused));
        r = StepCliTest.run("data", "info", nan.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("  non-finite demo_2 actions row 7 dim 1: NaN"), r.out());
    }

    // 3. --resume does not check the data; 4 (data half). One flipped byte in a data array is other data.
    @Test
    void item3_resumeRefusesOtherDataUnlessAllowed() throws Exception {
        Path out = copyTree(dpRun, tmp.resolve("run"));
        Path other = Files.copy(data, tmp.resolve("other.hdf5"));
        PushTFile.flipActionByte(other, 1, 5, 0);

        StepCliTest.Result r = train(other, "--resume", out.toString(), "--max-steps", "3");
        userErrorContaining(r, "cannot resume from " + out.resolve("checkpoints/step-0000002") + ": the data differs from the run's (same demos and steps, different values",
                "the run trained on " + data.toAbsolutePath(), "pass --allow-data-change");
        assertEquals(List.of("step-0000001", "step-0000002"), checkpoints(out), "nothing written");

        r = train(other, "--resume", out.toString(), "--max-steps", "3", "--allow-data-change");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("note: the data differs from the run's"), r.err());
        assertTrue(Files.isDirectory(out.resolve("checkpoints/step-0000003")));

        // step 3 trained on `other`: resuming it there with another normaliser (changed modes) is refused too
        r = train(other, "--resume", out.toString(), "--max-steps", "4", "task.action_normalizer=identity");
        userErrorContaining(r, "the normaliser fit on this data differs from the run's");
    }

    // 4. Weight files carry no integrity check.
    @Test
    void item4_aFlippedByteInAWeightsFileIsRefusedNamingTheFile() throws Exception {
        Path run = copyTree(dpRun, tmp.resolve("dp"));
        Path export = tmp.resolve("onnx");
        StepCliTest.Result r = StepCliTest.run("export-onnx", "--dp", run.toString(), "--out", export.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(export.resolve("checksums.sha256")).contains("  dp.onnx\n"));

        Path ck = latest(run), ema = ck.resolve("ema.tensors");
        byte[] b = Files.readAllBytes(ema);
        b[b.length - 1] ^= 0x10;                                   // the sign/exponent byte of the last float
        Files.write(ema, b);
        String line = "checkpoint " + ck + ": ema.tensors does not match its SHA-256 in checksums.sha256 (the file was changed or is corrupt)";
        Path out = tmp.resolve("eval");
        userError(eval("--dp", run.toString(), "--episodes", "1", "--out", out.toString()), line);
        assertFalse(Files.exists(out), "nothing written");
        userError(StepCliTest.run("export-onnx", "--dp", run.toString(), "--out", tmp.resolve("onnx2").toString()), line);
    }

    // 5. --episodes 0 reports "score 0.000" and NaN latencies.
    @Test
    void item5_zeroEpisodesIsRefused() {
        Path out = tmp.resolve("eval");
        userError(eval("--dp", dpRun.toString(), "--episodes", "0", "--out", out.toString()), "--episodes must be >= 1, got 0");
        assertFalse(Files.exists(out));
        userError(StepCliTest.run("quickstart", "--episodes", "0", "--out", out.toString()), "--episodes must be >= 1, got 0");
    }

    // 6. Out-of-range values pass `step config` and fail later.
    @Test
    void item6_outOfRangeValuesAreRefusedWhenTheConfigResolves() {
        userError(StepCliTest.run("config", "--config", "configs/pusht-small.yaml", "training.batch_size=1.5"),
                "config: training.batch_size = 1.5 is not allowed (allowed: an integer >= 1)");
        Path out = tmp.resolve("run");
        userError(train(data, "--out", out.toString(), "--max-steps", "2", "training.batch_size=1.5"),
                "config: training.batch_size = 1.5 is not allowed (allowed: an integer >= 1)");
        userErrorContaining(train(data, "--out", out.toString(), "training.batch_size=0"), "training.batch_size = 0 is not allowed");
        userErrorContaining(train(data, "--out", out.toString(), "training.max_steps=0"), "training.max_steps = 0 is not allowed");
        userError(train(data, "--out", out.toString(), "--max-steps", "0"), "--max-steps must be >= 1, got 0");
        userErrorContaining(train(data, "--out", out.toString(), "training.lr=-1e-4"), "training.lr = -1.0E-4 is not allowed (allowed: a number > 0)");
        assertFalse(Files.exists(out), "no config.yaml or metrics.csv left behind");
        userError(StepCliTest.run("bench", "--config", "configs/pusht-small.yaml", "--random-weights", "--calls", "0"), "--calls must be >= 1, got 0");
        userErrorContaining(StepCliTest.run("config", "--config", "configs/pusht-small.yaml", "eval.methods=ddim:2,warp:3"), "--methods");
    }

    // 7. User errors reported as internal failures.
    @Test
    void item7_inputProblemsAreUserErrors() throws Exception {
        // an --out that is a file
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        userError(train(data, "--out", file.toString(), "--max-steps", "1"), "--out " + file + " is a file; give a folder (new or empty)");

        // a read-only --out (root ignores permissions: a read-only system folder stands in)
        Path readOnly;
        if ("root".equals(System.getProperty("user.name"))) {
            assumeTrue(Files.isDirectory(Path.of("/sys")), "no read-only folder to test with");
            readOnly = Path.of("/sys/step-robustness-test/run");
        } else {
            Path locked = Files.createDirectories(tmp.resolve("locked"));
            assertTrue(locked.toFile().setWritable(false, false));
            readOnly = locked.resolve("run");
        }
        userErrorContaining(train(data, "--out", readOnly.toString(), "--max-steps", "1"), "cannot write --out " + readOnly);

        // a corrupt normalizer.json: caught by the checksum, and without one by the parser
        Path run = copyTree(dpRun, tmp.resolve("dp"));
        Path ck = latest(run);
        Files.writeString(ck.resolve("normalizer.json"), "{\"obs\": {\"scale\": [1, 2");
        userErrorContaining(eval("--dp", run.toString(), "--episodes", "1", "--out", tmp.resolve("e1").toString()),
                "normalizer.json does not match its SHA-256");
        Files.delete(ck.resolve("checksums.sha256"));
        userErrorContaining(eval("--dp", run.toString(), "--episodes", "1", "--out", tmp.resolve("e1").toString()),
                "checkpoint " + ck + ": normalizer.json is not valid JSON");

        // `eval --episodes -1` and `--threads 0` leave no --out behind
        Path out = tmp.resolve("eval");
        userError(eval("--dp", dpRun.toString(), "--episodes", "-1", "--out", out.toString()), "--episodes must be >= 1, got -1");
        userError(eval("--dp", dpRun.toString(), "--episodes", "1", "--threads", "0", "--out", out.toString()), "--threads must be >= 1, got 0");
        assertFalse(Files.exists(out));

        // corrupt group metadata: 4 bytes inside each HDF5 object header (groups and datasets; each fails its checksum).
        // `data info` and train-dp both say so in one line (exit 2), never "internal failure".
        byte[] good = Files.readAllBytes(data);
        List<Integer> headers = new ArrayList<>();
        for (int i = 0; i + 4 <= good.length; i++)
            if (good[i] == 'O' && good[i + 1] == 'H' && good[i + 2] == 'D' && good[i + 3] == 'R') headers.add(i);
        assertTrue(headers.size() > 10, "object headers found: " + headers.size());
        int unreadable = 0;
        for (int h : headers) {
            byte[] c = good.clone();
            for (int k = 8; k < 12; k++) c[h + k] ^= (byte) 0xA5;
            Path bad = Files.write(tmp.resolve("corrupt-" + h + ".hdf5"), c);
            StepCliTest.Result r = StepCliTest.run("data", "info", bad.toString());
            userErrorContaining(r, bad.toString());
            if (r.err().contains("Failed to load children for group") && unreadable++ == 0)
                userErrorContaining(train(bad, "--out", tmp.resolve("never").toString(), "--max-steps", "1"), bad.toString());
        }
        assertTrue(unreadable > 0, "some corruptions hit group metadata");
        assertFalse(Files.exists(tmp.resolve("never")));
    }

    // 9. Wording.
    @Test
    void item9_wording() throws Exception {
        userError(train(tmp, "--out", tmp.resolve("x").toString(), "--max-steps", "1"), tmp + ": is a folder; give an HDF5 file");

        Path run = copyTree(dpRun, tmp.resolve("dp"));
        Path ck = latest(run);
        Files.writeString(ck.resolve("meta.json"), "{\"kind\": \"dp\",\n  \"step\": oops\n}");
        Files.delete(ck.resolve("checksums.sha256"));
        StepCliTest.Result r = StepCliTest.run("export-onnx", "--dp", ck.toString(), "--out", tmp.resolve("onnx").toString());
        userErrorContaining(r, ck.resolve("meta.json") + " is not valid JSON (line 2)");

        Path dup = Files.writeString(tmp.resolve("dup.yaml"), "extends: " + Path.of("configs/pusht-small.yaml").toAbsolutePath()
                + "\ntraining:\n  batch_size: 4\n  batch_size: 8\n");
        userErrorContaining(StepCliTest.run("config", "--config", dup.toString()), "duplicate key 'batch_size'");

        Files.writeString(tmp.resolve("a.yaml"), "extends: b.yaml\n");
        Files.writeString(tmp.resolve("b.yaml"), "extends: a.yaml\n");
        userError(StepCliTest.run("config", "--config", tmp.resolve("a.yaml").toString()),
                tmp.resolve("a.yaml") + ": 'extends' forms a cycle: a.yaml -> b.yaml -> a.yaml");
    }
}
