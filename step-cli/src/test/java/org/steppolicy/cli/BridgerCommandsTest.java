package org.steppolicy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.models.Checkpoint;

/**
 * BRIDGeR end to end at toy scale (docs/bridger.md): train-bridger (the U-Net pair), --resume, export-onnx adding
 * bridger.onnx to an export folder, eval bridger:2 on that folder, bench bridger:2 with random weights.
 */
class BridgerCommandsTest {
    private static final String[] TINY = {"--config", "configs/pusht-small.yaml", "policy.down_dims=[8]", "policy.diffusion_step_embed_dim=8",
            "bridger_training.batch_size=4", "bridger_training.val_every=100", "bridger_training.checkpoint_every=100", "task.eval_max_steps=6"};

    @TempDir
    Path tmp;

    private static StepCliTest.Result trainBridger(Path data, String... more) {
        List<String> a = new ArrayList<>(List.of("train-bridger"));
        a.addAll(List.of(TINY));
        a.addAll(List.of("--data", data.toString()));
        a.addAll(List.of(more));
        return StepCliTest.run(a.toArray(String[]::new));
    }

    @Test
    void trainsResumesExportsIntoAFolderAndEvaluates() throws Exception {
        Path data = new PushTFile().write(tmp.resolve("pusht.hdf5"));
        Path run = tmp.resolve("bridger");
        StepCliTest.Result r = trainBridger(data, "--out", run.toString(), "--max-steps", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals("bridger", Checkpoint.readMeta(Checkpoint.resolve(run)).kind());
        assertEquals(2, Checkpoint.readMeta(Checkpoint.resolve(run)).step());
        StepCliTest.Result resumed = trainBridger(data, "--out", run.toString(), "--max-steps", "3", "--resume", run.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(3, Checkpoint.readMeta(Checkpoint.resolve(run)).step());
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size(), "header and steps 1..3 once each");

        // An export folder of a DP trained on the same data (its normaliser), then the BRIDGeR model added to it.
        String norm = Files.readString(Checkpoint.resolve(run).resolve(Checkpoint.NORMALIZER));
        Path dp = ImportCommandTest.nativeDp(tmp.resolve("dp"), norm);
        Path plain = tmp.resolve("export"), withBridger = tmp.resolve("export-bridger");
        StepCliTest.Result e = StepCliTest.run("export-onnx", "--dp", dp.toString(), "--out", plain.toString());
        assertEquals(0, e.code(), e.err());
        StepCliTest.Result add = StepCliTest.run("export-onnx", "--dp", plain.toString(), "--predictor", run.toString(), "--out", withBridger.toString());
        assertEquals(0, add.code(), add.err());
        assertTrue(Files.exists(withBridger.resolve("bridger.onnx")), add.out());
        JsonNode side = new ObjectMapper().readTree(withBridger.resolve("policy.json").toFile());
        assertEquals("bridger.onnx", side.path("bridger").path("file").asText());
        assertEquals("power3", side.path("bridger").path("interpolant").asText());
        assertTrue(Files.readString(withBridger.resolve("checksums.sha256")).contains("bridger.onnx"));

        Path evalOut = tmp.resolve("eval");
        StepCliTest.Result ev = StepCliTest.run("eval", "--config", "configs/pusht-small.yaml", "--dp", withBridger.toString(),
                "--methods", "bridger:2", "--episodes", "1", "--threads", "1", "--out", evalOut.toString(), "task.eval_max_steps=6");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(ev.out().contains("bridger:2"), ev.out());
        assertTrue(Files.readString(evalOut.resolve("results.json")).contains("bridger:2"));

        // --half-weights: the BRIDGeR file stored as float16 (marked in policy.json), the copied DP byte for byte; it evaluates.
        Path half = tmp.resolve("export-bridger-half");
        StepCliTest.Result addHalf = StepCliTest.run("export-onnx", "--policy", plain.toString(), "--predictor", run.toString(),
                "--half-weights", "--out", half.toString());
        assertEquals(0, addHalf.code(), addHalf.err());
        JsonNode halfSide = new ObjectMapper().readTree(half.resolve("policy.json").toFile());
        assertEquals("float16", halfSide.path("bridger").path("weights").asText());
        assertTrue(halfSide.path("dp").path("weights").isMissingNode());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(plain.resolve("dp.onnx")), Files.readAllBytes(half.resolve("dp.onnx"))));
        StepCliTest.Result evHalf = StepCliTest.run("eval", "--config", "configs/pusht-small.yaml", "--policy", half.toString(),
                "--methods", "bridger:2", "--episodes", "1", "--threads", "1", "--out", tmp.resolve("eval-half").toString(), "task.eval_max_steps=6");
        assertEquals(0, evHalf.code(), evHalf.err());

        // A folder without BRIDGeR refuses bridger:2 with one line that says what is missing.
        StepCliTest.Result none = StepCliTest.run("eval", "--config", "configs/pusht-small.yaml", "--dp", plain.toString(),
                "--methods", "bridger:2", "--episodes", "1", "--out", tmp.resolve("eval2").toString());
        assertEquals(2, none.code(), none.out());
        assertTrue(none.err().contains("bridger") && !none.err().strip().contains("\n"), none.err());
    }

    /**
     * The CVAE source end to end: train-bridger trains the CVAE (RUN/source) then the bridge, every BRIDGeR checkpoint
     * carrying the decoder; --resume continues a run stopped in the CVAE phase (its time budget) and one stopped in
     * the bridge's without retraining the CVAE; export-onnx writes bridger_source.onnx beside bridger.onnx; eval
     * samples bridger:2 from the export.
     */
    @Test
    void cvaeSourceTrainsResumesBothPhasesAndExports() throws Exception {
        Path data = new PushTFile().write(tmp.resolve("pusht.hdf5"));
        String[] cvae = {"bridger.source=cvae", "bridger.cvae_latent_dim=2", "bridger.cvae_hidden=[16]", "bridger.source_steps=3"};
        Path run = tmp.resolve("bridger-cvae");
        // Stopped by its time budget after the CVAE's first step: no BRIDGeR checkpoint yet.
        StepCliTest.Result first = trainBridger(data, concat(cvae, "--out", run.toString(), "--max-steps", "2", "bridger_training.max_minutes=1e-6"));
        assertEquals(0, first.code(), first.err());
        assertEquals(Checkpoint.KIND_CVAE, Checkpoint.readMeta(Checkpoint.resolve(run.resolve("source"))).kind());
        assertEquals(1, Checkpoint.readMeta(Checkpoint.resolve(run.resolve("source"))).step());
        assertTrue(Checkpoint.list(run).isEmpty(), "no BRIDGeR checkpoint before the CVAE is done");

        StepCliTest.Result second = trainBridger(data, concat(cvae, "--out", run.toString(), "--max-steps", "2", "--resume", run.toString()));
        assertEquals(0, second.code(), second.err());
        assertEquals(3, Checkpoint.readMeta(Checkpoint.resolve(run.resolve("source"))).step());
        Path ck = Checkpoint.resolve(run);
        assertEquals(2, Checkpoint.readMeta(ck).step());
        assertTrue(Files.exists(ck.resolve(Checkpoint.SOURCE_TENSORS)), "the decoder travels with the checkpoint");
        assertTrue(Files.readString(ck.resolve("checksums.sha256")).contains(Checkpoint.SOURCE_TENSORS));
        assertEquals("cvae", Checkpoint.readMeta(ck).arch().get("bridger_source"));

        StepCliTest.Result third = trainBridger(data, concat(cvae, "--out", run.toString(), "--max-steps", "3", "--resume", run.toString()));
        assertEquals(0, third.code(), third.err());
        assertEquals(3, Checkpoint.readMeta(Checkpoint.resolve(run)).step());
        assertEquals(4, Files.readAllLines(run.resolve("source").resolve("metrics.csv")).size(), "the CVAE trained once: header and steps 1..3");
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size(), "header and steps 1..3 once each");

        String norm = Files.readString(Checkpoint.resolve(run).resolve(Checkpoint.NORMALIZER));
        Path dp = ImportCommandTest.nativeDp(tmp.resolve("dp"), norm);
        Path plain = tmp.resolve("export"), withBridger = tmp.resolve("export-bridger");
        StepCliTest.Result e = StepCliTest.run("export-onnx", "--dp", dp.toString(), "--out", plain.toString());
        assertEquals(0, e.code(), e.err());
        StepCliTest.Result add = StepCliTest.run("export-onnx", "--dp", plain.toString(), "--predictor", run.toString(), "--out", withBridger.toString());
        assertEquals(0, add.code(), add.err());
        JsonNode side = new ObjectMapper().readTree(withBridger.resolve("policy.json").toFile());
        assertEquals("cvae", side.path("bridger").path("source").asText());
        assertEquals("bridger_source.onnx", side.path("bridger").path("source_decoder").path("file").asText());
        assertTrue(Files.exists(withBridger.resolve("bridger_source.onnx")));
        assertTrue(Files.readString(withBridger.resolve("checksums.sha256")).contains("bridger_source.onnx"));

        Path evalOut = tmp.resolve("eval");
        StepCliTest.Result ev = StepCliTest.run("eval", "--config", "configs/pusht-small.yaml", "--dp", withBridger.toString(),
                "--methods", "bridger:2", "--episodes", "1", "--threads", "1", "--out", evalOut.toString(), "task.eval_max_steps=6");
        assertEquals(0, ev.code(), ev.err());
        assertTrue(Files.readString(evalOut.resolve("results.json")).contains("bridger:2"));

        // The checkpoint itself (its source.tensors) beside a DP checkpoint samples too.
        StepCliTest.Result fromCk = StepCliTest.run("eval", "--config", "configs/pusht-small.yaml", "--dp", dp.toString(), "--predictor",
                run.toString(), "--methods", "bridger:2", "--episodes", "1", "--threads", "1", "--out", tmp.resolve("eval-ck").toString(),
                "task.eval_max_steps=6");
        assertEquals(0, fromCk.code(), fromCk.err());
        assertTrue(Files.readString(tmp.resolve("eval-ck").resolve("results.json")).contains("bridger:2"));
    }

    private static String[] concat(String[] a, String... b) {
        List<String> out = new ArrayList<>(List.of(a));
        out.addAll(List.of(b));
        return out.toArray(String[]::new);
    }

    @Test
    void benchTimesBridgerWithRandomWeights() {
        StepCliTest.Result r = StepCliTest.run("bench", "--config", "configs/pusht-small.yaml", "policy.down_dims=[8]",
                "policy.diffusion_step_embed_dim=8", "--random-weights", "--methods", "bridger:2", "--calls", "3", "--warmup", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("bridger ") && l.contains(" 2 ")), r.out());
    }
}
