package org.steppolicy.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nd4j.shade.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import onnx.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;

/** --init-from: a new run starts from a checkpoint's EMA weights or an ONNX export's, and refuses what does not fit. */
class InitialWeightsTest {
    private static final Path DATA = Path.of("../shared/data/pusht/pusht_cchi_v7_replay_lowdim.hdf5");

    private static StepConfig config(String... extra) {
        List<String> o = new java.util.ArrayList<>(List.of("policy.down_dims=[8,16]", "policy.diffusion_step_embed_dim=16",
                "training.batch_size=8", "training.val_every=2", "training.checkpoint_every=2", "task.max_train_episodes=3"));
        o.addAll(List.of(extra));
        return ConfigLoader.load(Path.of("configs/pusht-small.yaml"), o);
    }

    private static RunOptions init(Path from) {
        return new RunOptions(false, false, from);
    }

    @Test
    void startsFromCheckpointEmaAndFromAnOnnxExport(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(DATA), "Push-T data absent: " + DATA);
        // Another seed than the runs below, so a run from the default initialisation starts elsewhere.
        TrainRuns.trainDp(config("training.seed=7"), dir.resolve("src"), 4L, null, null);
        Checkpoint src = Checkpoint.load(dir.resolve("src"));
        TensorStore ema = src.ema();

        // One step at lr 1e-4 moves each weight by about lr (AdamW), so the fine-tuned weights sit next to the source's
        // EMA weights, while a run from the default initialisation is far from them.
        TrainRuns.trainDp(config(), dir.resolve("ft"), 1L, null, init(dir.resolve("src")), null);
        TrainRuns.trainDp(config(), dir.resolve("fresh"), 1L, null, null);
        Checkpoint ft = Checkpoint.load(dir.resolve("ft"));
        assertTrue(maxDiff(ft.model(), ema) < 5e-4, "fine-tuned weights start at the source's EMA: " + maxDiff(ft.model(), ema));
        assertTrue(maxDiff(Checkpoint.load(dir.resolve("fresh")).model(), ema) > 1e-2, "a fresh run does not");
        String initJson = Files.readString(ft.dir().resolve(InitialWeights.FILE));
        assertTrue(initJson.contains(Checkpoint.EMA), initJson);

        // The same weights as ONNX initialisers in an export folder (policy.json names dp.onnx and the normaliser).
        Path export = writeExport(dir.resolve("export"), ema, DatasetNormalizer.fromJson(src.normalizerJson()));
        InitialWeights w = InitialWeights.load(export, Checkpoint.KIND_DP);
        assertEquals(0.0, maxDiff(w.weights(), ema), "initialisers read back exactly");
        TrainRuns.trainDp(config(), dir.resolve("ft-onnx"), 1L, null, init(export), null);
        assertEquals(0.0, maxDiff(Checkpoint.load(dir.resolve("ft-onnx")).model(), ft.model()),
                "the same start and the same step give the same weights");

        UserError arch = assertThrows(UserError.class, () -> TrainRuns.trainDp(config("policy.down_dims=[8,32]"), dir.resolve("a"), 1L,
                null, init(dir.resolve("src")), null));
        assertTrue(arch.getMessage().contains("another architecture"), arch.getMessage());
        UserError norm = assertThrows(UserError.class, () -> TrainRuns.trainDp(config("task.action_normalizer=identity"), dir.resolve("n"),
                1L, null, init(export), null));
        assertTrue(norm.getMessage().contains("normaliser differs"), norm.getMessage());
        UserError both = assertThrows(UserError.class, () -> TrainRuns.trainDp(config("training.seed=7"), dir.resolve("src"), 6L, dir.resolve("src"),
                init(export), null));
        assertTrue(both.getMessage().contains("--resume"), both.getMessage());
        UserError kind = assertThrows(UserError.class, () -> InitialWeights.load(dir.resolve("src"), Checkpoint.KIND_PREDICTOR));
        assertTrue(kind.getMessage().contains("dp checkpoint"), kind.getMessage());
    }

    /**
     * An image DP's export keeps the encoder's weights in obs_encoder.onnx (policy.json's image.obs_encoder.file) and
     * the U-Net's in dp.onnx: both are read. Here a DP's weights are split between the two files by name.
     */
    @Test
    void anImageExportGivesTheEncoderFileToo(@TempDir Path dir) throws Exception {
        TensorStore all = new TensorStore();
        all.put("obs_encoder.net.0.weight", new long[] {3, 3, 3, 2}, new float[54]);
        all.put("obs_encoder.head.bias", new long[] {4}, new float[] {1, 2, 3, 4});
        all.put("final_conv.1.bias", new long[] {2}, new float[] {5, 6});
        TensorStore unet = new TensorStore(), encoder = new TensorStore();
        for (String n : all.names()) (n.startsWith("obs_encoder.") ? encoder : unet).put(n, all.get(n).shape(), all.get(n).data());
        DatasetNormalizer norm = new DatasetNormalizer(LinearNormalizer.affine(new float[] {1, 1}, new float[] {0, 0}),
                LinearNormalizer.affine(new float[] {1, 1}, new float[] {0, 0}));
        Path export = writeExport(dir.resolve("export"), unet, norm);
        writeOnnx(export.resolve("obs_encoder.onnx"), encoder);
        ObjectMapper json = new ObjectMapper();
        ObjectNode policy = (ObjectNode) json.readTree(export.resolve("policy.json").toFile());
        assertEquals(1, InitialWeights.load(export, Checkpoint.KIND_DP).weights().size(), "without image.obs_encoder: dp.onnx alone");
        policy.putObject("image").putObject("obs_encoder").put("file", "obs_encoder.onnx");
        Files.writeString(export.resolve("policy.json"), policy.toPrettyString());
        InitialWeights w = InitialWeights.load(export, Checkpoint.KIND_DP);
        assertEquals(all.size(), w.weights().size());
        assertEquals(0.0, maxDiff(w.weights(), all), "both files' weights, read back exactly");

        // With checksums the folder's checksums file is the provenance (it pins both files); one not listed is refused.
        org.steppolicy.run.Checksums sums = new org.steppolicy.run.Checksums();
        for (String f : List.of("policy.json", "dp.onnx")) sums.add(export, f);
        sums.save(export);
        UserError unlisted = assertThrows(UserError.class, () -> InitialWeights.load(export, Checkpoint.KIND_DP));
        assertTrue(unlisted.getMessage().contains("obs_encoder.onnx is not listed"), unlisted.getMessage());
        sums.add(export, "obs_encoder.onnx");
        sums.save(export);
        assertTrue(InitialWeights.load(export, Checkpoint.KIND_DP).toJson().contains(org.steppolicy.run.Checksums.FILE));
    }

    private static double maxDiff(TensorStore a, TensorStore b) {
        double m = 0;
        for (String n : b.names()) {
            float[] x = a.get(n).data(), y = b.get(n).data();
            for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    private static Path writeExport(Path dir, TensorStore weights, DatasetNormalizer norm) throws Exception {
        Files.createDirectories(dir);
        writeOnnx(dir.resolve("dp.onnx"), weights);
        ObjectMapper json = new ObjectMapper();
        ObjectNode policy = json.createObjectNode();
        policy.putObject("dp").put("file", "dp.onnx");
        ObjectNode n = policy.putObject("normalizer");
        for (var e : java.util.Map.of("obs", norm.obs(), "action", norm.action()).entrySet()) {
            ObjectNode o = n.putObject(e.getKey());
            var scale = o.putArray("scale");
            for (float f : e.getValue().scale()) scale.add(f);
            var offset = o.putArray("offset");
            for (float f : e.getValue().offset()) offset.add(f);
        }
        Files.writeString(dir.resolve("policy.json"), policy.toPrettyString());
        return dir;
    }

    /** An ONNX file holding {@code weights} as float initialisers (no nodes: only the weights are read). */
    private static void writeOnnx(Path file, TensorStore weights) throws Exception {
        Onnx.GraphProto.Builder g = Onnx.GraphProto.newBuilder().setName("weights");
        for (String n : weights.names()) {
            TensorStore.Tensor t = weights.get(n);
            ByteBuffer b = ByteBuffer.allocate(4 * t.data().length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.data());
            Onnx.TensorProto.Builder p = Onnx.TensorProto.newBuilder().setName(n).setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                    .setRawData(ByteString.copyFrom(b.array()));
            for (long d : t.shape()) p.addDims(d);
            g.addInitializer(p);
        }
        Files.write(file, Onnx.ModelProto.newBuilder().setGraph(g).build().toByteArray());
    }
}
