package org.steppolicy.cli;

import org.steppolicy.models.DpArch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.UnetConfig;
import org.steppolicy.train.CheckpointWriter;
import org.steppolicy.importer.DiffusionPolicyCheckpointWriter;

/** {@code step import}: success on both formats, identical actions after a round trip, and every bad input refused. */
class ImportCommandTest {
    @TempDir
    Path tmp;

    static final Path FIXTURES = Path.of("../shared/data/reference/import");

    /** A small DP checkpoint as train-dp writes it (random weights; raw and EMA differ). */
    static Path nativeDp(Path dir) {
        return nativeDp(dir, null);
    }

    /** As {@link #nativeDp(Path)}, with this normalizer.json instead of the random limits (null: those). */
    static Path nativeDp(Path dir, String normalizerJson) {
        UnetConfig u = new UnetConfig(2, 40, List.of(16, 32), 5, 8, 16, true);
        ConditionalUnet1d net = new ConditionalUnet1d(u, 16);
        SplittableRandom r = new SplittableRandom(3);
        float[] omin = new float[20], omax = new float[20], amin = new float[2], amax = new float[2];
        for (int i = 0; i < 20; i++) { omin[i] = (float) r.nextDouble(0, 100); omax[i] = (float) r.nextDouble(200, 500); }
        for (int i = 0; i < 2; i++) { amin[i] = (float) r.nextDouble(0, 100); amax[i] = (float) r.nextDouble(200, 500); }
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.fromStats("limits", omin, omax), LinearNormalizer.fromStats("limits", amin, amax));
        Map<String, Object> arch = new DpArch(u, 16, 2, 8, 20, 2, 100, null, null).toArch();
        String yaml = ConfigLoader.defaults(List.of("policy.down_dims=[16, 32]", "policy.diffusion_step_embed_dim=16")).toYaml();
        return CheckpointWriter.writeFolder(dir, new CheckpointWriter.Contents(new Checkpoint.Meta("dp", 1, 0.5, arch),
                net.initParams(11), net.initParams(12), null, normalizerJson != null ? normalizerJson : norm.toJson(), yaml));
    }

    private Path dpCheckpoint(DiffusionPolicyCheckpointWriter.Contents c, String name) {
        Path f = tmp.resolve(name);
        DiffusionPolicyCheckpointWriter.write(c, f);
        return f;
    }

    @Test
    void roundTripGivesTheSameActions() {
        Path nat = nativeDp(tmp.resolve("native"));
        Path ckpt = dpCheckpoint(DiffusionPolicyCheckpointWriter.fromNative(nat), "latest.ckpt");
        Path out = tmp.resolve("imported");
        StepCliTest.Result r = StepCliTest.run("import", ckpt.toString(), "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("imported diffusion_policy") && r.out().contains("weights: ema_model"), r.out());

        double[][] obs = new double[2][20];
        SplittableRandom rnd = new SplittableRandom(9);
        for (double[] o : obs) for (int i = 0; i < 20; i++) o[i] = rnd.nextDouble(0, 500);
        for (RuntimeKind rt : RuntimeKind.values()) {
            for (String method : rt == RuntimeKind.ONNX ? List.of("ddim:10", "ddpm:100") : List.of("ddim:10")) {
                double[][] a = act(nat, rt, method, obs), b = act(out, rt, method, obs);
                assertEquals(8, b.length);
                for (int t = 0; t < a.length; t++) assertArrayEquals(a[t], b[t], 0.0, rt + " " + method + " step " + t);
            }
        }
    }

    private static double[][] act(Path dp, RuntimeKind rt, String method, double[][] obs) {
        PolicyModels m = PolicyLoader.models(PolicyLoader.fromCheckpoints(dp, null), rt, 1);
        try (StepPolicy policy = StepPolicy.open(unused -> m, MethodSpec.parse(method).config())) {
            policy.reset(42);
            double[][] first = policy.predictChunk(obs);
            double[][] second = policy.predictChunk(obs);   // a second call: the same noise stream continues
            double[][] both = Arrays.copyOf(first, first.length);
            for (int t = 0; t < both.length; t++) both[t] = concat(first[t], second[t]);
            return both;
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void referenceFilesImportAndLoadersAcceptThem() throws IOException {
        Path dp = FIXTURES.resolve("dp_pusht_lowdim_tiny.ckpt"), lr = FIXTURES.resolve("lerobot_diffusion_tiny");
        assumeTrue(Files.exists(dp) && Files.exists(lr), "reference fixtures " + FIXTURES.toAbsolutePath().normalize() + " are absent: skipped");
        StepCliTest.Result a = StepCliTest.run("import", dp.toString(), "--out", tmp.resolve("dp").toString());
        assertEquals(0, a.code(), a.err());
        StepCliTest.Result b = StepCliTest.run("import", lr.toString(), "--out", tmp.resolve("lr").toString());
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("imported lerobot"), b.out());
        for (String d : List.of("dp", "lr")) {
            StepCliTest.Result e = StepCliTest.run("export-onnx", "--dp", tmp.resolve(d).toString(), "--out", tmp.resolve(d + "-onnx").toString());
            assertEquals(0, e.code(), e.err());
            assertTrue(Files.size(tmp.resolve(d + "-onnx").resolve("dp.onnx")) > 0);
        }
        StepCliTest.Result bench = StepCliTest.run("bench", "--dp", tmp.resolve("dp").toString(), "--runtime", "onnx", "--calls", "2",
                "--slow-calls", "1", "--warmup", "0", "--methods", "ddim:2");
        assertEquals(0, bench.code(), bench.err());
    }

    // ---- bad input: exit 2, one line naming the file, nothing written ----

    private void refused(String file, String expected, String... extra) {
        Path out = tmp.resolve("out");
        String[] args = new String[3 + extra.length + 1];
        args[0] = "import";
        args[1] = file;
        args[2] = "--out";
        args[3] = out.toString();
        System.arraycopy(extra, 0, args, 4, extra.length);
        StepCliTest.Result r = StepCliTest.run(args);
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains(expected), r.err());
        assertFalse(Files.exists(out), "nothing may be written");
        assertEquals("", r.out());
    }

    private DiffusionPolicyCheckpointWriter.Contents good() {
        return DiffusionPolicyCheckpointWriter.fromNative(nativeDp(tmp.resolve("native")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void badInputsAreOneLineExit2AndWriteNothing() throws IOException {
        var good = good();
        Path ok = dpCheckpoint(good, "ok.ckpt");
        byte[] bytes = Files.readAllBytes(ok);
        Path cut = tmp.resolve("cut.ckpt");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 3));
        refused(cut.toString(), cut + ": truncated");

        Path text = tmp.resolve("text.ckpt");
        Files.writeString(text, "not a checkpoint");
        refused(text.toString(), text + ": not a PyTorch checkpoint");

        Path list = zip("list.ckpt", new byte[] {(byte) 0x80, 2, ']', '.'});
        refused(list.toString(), "not a diffusion_policy workspace checkpoint");

        Path evil = zip("evil.ckpt", "cos\nsystem\n(S'echo pwned'\ntR.".getBytes(StandardCharsets.ISO_8859_1));
        refused(evil.toString(), "os.system");

        Map<String, Object> cfg = new LinkedHashMap<>(good.cfg());
        Map<String, Object> policy = new LinkedHashMap<>((Map<String, Object>) cfg.get("policy"));
        cfg.put("policy", policy);
        policy.put("_target_", "diffusion_policy.policy.diffusion_transformer_lowdim_policy.DiffusionTransformerLowdimPolicy");
        refused(dpCheckpoint(new DiffusionPolicyCheckpointWriter.Contents(cfg, good.stateDicts(), 1), "transformer.ckpt").toString(), "transformer");

        policy.put("_target_", ((Map<String, Object>) good.cfg().get("policy")).get("_target_"));
        Map<String, Object> model = new LinkedHashMap<>((Map<String, Object>) policy.get("model"));
        model.put("diffusion_step_embed_dim", 32);
        policy.put("model", model);
        refused(dpCheckpoint(new DiffusionPolicyCheckpointWriter.Contents(cfg, good.stateDicts(), 1), "shapes.ckpt").toString(), "has shape");

        Map<String, Map<String, DiffusionPolicyCheckpointWriter.Tensor>> noEma = new LinkedHashMap<>(good.stateDicts());
        noEma.remove("ema_model");
        Path raw = dpCheckpoint(new DiffusionPolicyCheckpointWriter.Contents(good.cfg(), noEma, 1), "noema.ckpt");
        refused(raw.toString(), "no EMA weights", "--weights", "ema");
        refused(ok.toString(), "--weights must be ema or model", "--weights", "best");
        refused(tmp.resolve("absent").toString(), "no such file");
        Files.createDirectories(tmp.resolve("emptydir"));
        refused(tmp.resolve("emptydir").toString(), "not a LeRobot pretrained_model folder");
    }

    private Path zip(String name, byte[] pickle) throws IOException {
        Path f = tmp.resolve(name);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pickle);
        }
        Files.write(f, b.toByteArray());
        return f;
    }
}
