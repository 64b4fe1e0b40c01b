package org.steppolicy.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import onnx.Onnx;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.steppolicy.config.UserError;
import org.steppolicy.run.Checksums;
import org.steppolicy.run.FolderFile;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.TensorStore;

/**
 * The weights a new run starts from ({@code --init-from}): fine-tuning a shipped, imported or earlier policy instead of
 * PyTorch-default initial weights. A checkpoint gives its EMA weights (the ones it is evaluated with), else its raw
 * ones; an ONNX export folder ({@code policy.json} + {@code dp.onnx}/{@code predictor.onnx}) or a single .onnx file
 * gives its initialisers, which carry the parameter names and layouts of the checkpoint (the exporter writes them
 * unchanged). Only weights carry over: the optimiser, EMA and LR schedule start fresh at step 0.
 *
 * @param source    what was read (for the run's provenance file)
 * @param sha256    SHA-256 of the file the weights came from
 * @param normalizer the source's normaliser, null when it has none to compare
 */
public record InitialWeights(Path source, String sha256, TensorStore weights, DatasetNormalizer normalizer) {
    /** The file every checkpoint of an initialised run carries, naming where its weights started. */
    public static final String FILE = "init.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the weights of a {@code kind} network ({@link Checkpoint#KIND_DP} or {@link Checkpoint#KIND_PREDICTOR}). */
    public static InitialWeights load(Path from, String kind) {
        if (!Files.exists(from)) throw new UserError("--init-from " + from + ": no such checkpoint, run folder or ONNX export");
        if (Files.isRegularFile(from)) {
            if (!from.toString().endsWith(".onnx")) throw new UserError("--init-from " + from + ": expected a checkpoint folder, a run folder, an export folder or a .onnx file");
            return fromOnnx(from, null);
        }
        Path policyJson = from.resolve("policy.json");
        if (Files.isRegularFile(policyJson)) {
            // An export folder: the files it names lie inside it and are listed in and checked against its
            // checksums, as OnnxExportFolder reads them for inference.
            String what = "--init-from " + from;
            Checksums sums = Checksums.read(from, what);
            sums.verifyAll(from, what);
            sums.requireListed("policy.json", what);
            FolderFile.regular(from, "policy.json", FolderFile.MAX_TEXT_BYTES, false, what);
            JsonNode policy = readJson(policyJson);
            String section = Checkpoint.KIND_DP.equals(kind) ? "dp" : Checkpoint.KIND_BRIDGER.equals(kind) ? "bridger" : "predictor";
            JsonNode file = policy.path(section).path("file");
            if (!file.isTextual()) throw new UserError("--init-from " + from + ": policy.json has no " + section + " network");
            Path onnx = FolderFile.regular(from, file.asText(), FolderFile.MAX_MODEL_BYTES, false, what);
            sums.requireListed(file.asText(), what);
            InitialWeights w = fromOnnx(onnx, exportNormalizer(policy, policyJson));
            JsonNode encoder = policy.path("image").path("obs_encoder").path("file");
            if (!Checkpoint.KIND_DP.equals(kind) || !encoder.isTextual()) return w;
            // An image DP's export keeps the observation encoder in its own file (run once per call, before the
            // U-Net's): both files' weights make the network, and the folder's checksums file pins the two.
            sums.requireListed(encoder.asText(), what);
            Path enc = FolderFile.regular(from, encoder.asText(), FolderFile.MAX_MODEL_BYTES, false, what);
            TensorStore all = w.weights();
            TensorStore encoderWeights = fromOnnx(enc, null).weights();
            for (String n : encoderWeights.names()) {
                TensorStore.Tensor t = encoderWeights.get(n);
                if (!all.contains(n)) all.put(n, t.shape(), t.data());
            }
            Path pins = Files.isRegularFile(from.resolve(Checksums.FILE)) ? from.resolve(Checksums.FILE) : onnx;
            return new InitialWeights(pins, sha256(pins), all, w.normalizer());
        }
        Path dir = Checkpoint.resolve(from);
        Checkpoint ck = Checkpoint.load(dir);
        if (!ck.kind().equals(kind))
            throw new UserError("--init-from " + dir + ": it is a " + ck.kind() + " checkpoint, this is " + kind + " training");
        String file = ck.ema() != null ? Checkpoint.EMA : Checkpoint.MODEL;
        return new InitialWeights(dir.resolve(file), sha256(dir.resolve(file)), ck.evalParams(), DatasetNormalizer.fromJson(ck.normalizerJson()));
    }

    /**
     * Copies the weights into the network's parameters: every parameter must be present with its shape (a source of
     * another architecture is refused in one line, naming the first mismatch).
     */
    public void assignTo(Map<String, INDArray> params) {
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String n = e.getKey();
            if (!weights.contains(n)) throw new UserError("--init-from " + source + ": no weights for parameter " + n + " (another architecture?)");
            TensorStore.Tensor t = weights.get(n);
            if (!java.util.Arrays.equals(t.shape(), e.getValue().shape()))
                throw new UserError("--init-from " + source + ": parameter " + n + " has shape " + java.util.Arrays.toString(t.shape())
                        + ", the configured network " + java.util.Arrays.toString(e.getValue().shape()) + " (another architecture?)");
        }
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            TensorStore.Tensor t = weights.get(e.getKey());
            e.getValue().assign(org.nd4j.linalg.factory.Nd4j.create(t.data(), t.shape(), 'c'));
        }
    }

    /**
     * Refuses a source whose normaliser differs from the one fit on this run's data beyond float rounding: its weights
     * were trained on other inputs and would start from a wrong place.
     */
    public void requireNormalizer(DatasetNormalizer fit) {
        if (normalizer == null) return;
        String d = differ("obs", normalizer.obs(), fit.obs());
        if (d == null) d = differ("action", normalizer.action(), fit.action());
        if (d != null) throw new UserError("--init-from " + source + ": its normaliser differs from the one fit on this data (" + d
                + "); fine-tune on the data and normaliser modes it was trained with");
    }

    /** init.json: where the weights came from. */
    public String toJson() {
        return JSON.createObjectNode().put("init_from", source.toAbsolutePath().normalize().toString()).put("sha256", sha256)
                .put("tensors", weights.size()).toPrettyString();
    }

    private static String differ(String what, LinearNormalizer a, LinearNormalizer b) {
        if (a.dim() != b.dim()) return what + " has " + a.dim() + " dimensions, the data " + b.dim();
        float[] sa = a.scale(), sb = b.scale(), oa = a.offset(), ob = b.offset();
        for (int i = 0; i < sa.length; i++) {
            if (!close(sa[i], sb[i]) || !close(oa[i], ob[i]))
                return what + "[" + i + "] scale/offset " + sa[i] + "/" + oa[i] + " vs " + sb[i] + "/" + ob[i];
        }
        return null;
    }

    private static boolean close(float x, float y) {
        return Math.abs(x - y) <= 1e-5f * Math.max(1f, Math.max(Math.abs(x), Math.abs(y)));
    }

    private static DatasetNormalizer exportNormalizer(JsonNode policy, Path file) {
        JsonNode n = policy.path("normalizer");
        if (n.isMissingNode()) return null;
        try {
            return new DatasetNormalizer(affine(n.path("obs")), affine(n.path("action")));
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": normalizer is malformed (" + e.getMessage() + ")", e);
        }
    }

    private static LinearNormalizer affine(JsonNode n) {
        float[] scale = floats(n.path("scale")), offset = floats(n.path("offset"));
        if (scale.length == 0 || scale.length != offset.length) throw new IllegalArgumentException("scale and offset must be equal-length lists");
        return LinearNormalizer.of(LinearNormalizer.AFFINE, scale, offset, new float[scale.length], new float[scale.length]);
    }

    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) f[i] = (float) a.get(i).asDouble();
        return f;
    }

    private static InitialWeights fromOnnx(Path file, DatasetNormalizer normalizer) {
        if (!Files.isRegularFile(file)) throw new UserError("--init-from: " + file + " is missing");
        Onnx.ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = Onnx.ModelProto.parseFrom(in);
        } catch (IOException e) {
            throw new UserError("--init-from " + file + ": not a readable ONNX model (" + e.getMessage() + ")", e);
        }
        TensorStore store = new TensorStore();
        for (Onnx.TensorProto t : model.getGraph().getInitializerList()) {
            // Parameters are float initialisers with raw data; the exporter's constants (const_*, scalar_*) are skipped
            // by the caller taking only the network's own names.
            if (t.getDataType() != Onnx.TensorProto.DataType.FLOAT_VALUE) continue;
            long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
            float[] data;
            if (!t.getRawData().isEmpty()) {
                ByteBuffer b = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                data = new float[b.remaining() / 4];
                b.asFloatBuffer().get(data);
            } else {
                data = new float[t.getFloatDataCount()];
                for (int i = 0; i < data.length; i++) data[i] = t.getFloatData(i);
            }
            if (TensorStore.numel(shape) != data.length) continue;
            store.put(t.getName(), shape, data);
        }
        return new InitialWeights(file, sha256(file), store, normalizer);
    }

    private static JsonNode readJson(Path f) {
        try {
            return JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new UserError(f + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }

    private static String sha256(Path f) {
        try {
            return org.steppolicy.run.Checksums.hash(f);
        } catch (IOException e) {
            throw new UserError("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
