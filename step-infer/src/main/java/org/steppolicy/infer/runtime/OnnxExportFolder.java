package org.steppolicy.infer.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.ImageObsEncoder;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.run.Checksums;
import org.steppolicy.run.FolderFile;

/**
 * A folder written by {@link OnnxExport} (step export-onnx), read back for inference: sizes, normalisers and noise
 * scheduler from {@value OnnxExport#SIDECAR}, the networks as ONNX bytes. Immutable; every {@link #open} starts fresh
 * ONNX Runtime sessions (exports run on ONNX Runtime only).
 */
public final class OnnxExportFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Checksums sums;
    private final PolicyShape shape;
    private final SchedulerConfig scheduler;
    private final DatasetNormalizer normalization;
    private final byte[] dp, encoder;
    private final int inputDim, unetCondDim;
    private final String predictorKind;
    /** Every predictor by kind, the one in predictor.onnx first. */
    private final Map<String, PredictorFile> predictors;
    private final ImageInput image;
    private final String fusedMethod;
    private final List<String> files;

    /** One predictor's network and the normaliser it was trained with. */
    private record PredictorFile(byte[] onnx, boolean usesPrevious, DatasetNormalizer normalization) {}

    /** BRIDGeR's networks (bridger.onnx) with what they were trained with; null when the export has none. */
    private record BridgerFile(byte[] onnx, org.steppolicy.models.StochasticInterpolant interpolant, String source,
                               DatasetNormalizer normalization, byte[] sourceOnnx) {}

    private final BridgerFile bridger;

    /** An image export's observation layout: low-dim values, then an RGB frame of height x width. */
    public record ImageInput(int lowDim, int height, int width) {}

    /** True when {@code dir} holds an export's sidecar. */
    public static boolean isExport(Path dir) {
        return Files.isRegularFile(dir.resolve(OnnxExport.SIDECAR));
    }

    public static OnnxExportFolder read(Path dir) {
        return new OnnxExportFolder(dir);
    }

    private OnnxExportFolder(Path dir) {
        this.dir = dir;
        Path file = dir.resolve(OnnxExport.SIDECAR);
        String what = file.toString();
        // Every file the export lists in checksums.sha256 must match before anything is read, and every file it
        // uses must be listed (folders without the file, written before checksums existed, load unchecked). Files
        // are named only inside the folder, never through a link, and bounded in size (FolderFile).
        sums = Checksums.read(dir, "export " + dir);
        sums.verifyAll(dir, "export " + dir);
        sums.requireListed(OnnxExport.SIDECAR, "export " + dir);
        JsonNode root;
        try {
            root = JSON.readTree(FolderFile.read(dir, OnnxExport.SIDECAR, FolderFile.MAX_TEXT_BYTES, "export " + dir));
        } catch (IOException e) {
            throw new UserError(what + " is not valid JSON: " + oneLine(e.getMessage()), e);
        }
        String format = root.path("format").asText("");
        if (!OnnxExport.FORMAT.equals(format))
            throw new UserError(what + ": format '" + format + "', this runtime reads " + OnnxExport.FORMAT);
        try {
            shape = new PolicyShape(integer(root, "n_obs_steps", what), integer(root, "n_action_steps", what),
                    integer(root, "horizon", what), integer(root, "obs_dim", what), integer(root, "action_dim", what));
        } catch (IllegalArgumentException e) {
            throw new UserError(what + ": " + e.getMessage(), e);
        }
        scheduler = SchedulerReader.fromSidecar(root, what);
        boolean image = root.path("image").isObject();
        normalization = normalizer(root.path("normalizer"), image, what);

        JsonNode dpNode = root.path("dp");
        int[] sample = inputShape(dpNode, ConditionalUnet1d.SAMPLE, what);
        inputDim = sample[sample.length - 1];
        boolean inpainting = "inpainting".equals(root.path("conditioning").asText("global"));
        unetCondDim = inpainting ? 0 : inputShape(dpNode, ConditionalUnet1d.GLOBAL_COND, what)[1];
        dp = bytes(dpNode, what);
        encoder = image ? bytes(root.path("image").path("obs_encoder"), what) : null;

        JsonNode im = root.path("image");
        this.image = image ? new ImageInput(im.path("low_dim").asInt(), im.path("height").asInt(), im.path("width").asInt()) : null;

        Map<String, PredictorFile> preds = new LinkedHashMap<>();
        JsonNode p = root.path("predictor");
        predictorKind = p.isObject() ? p.path("kind").asText("step") : null;
        if (p.isObject()) preds.put(predictorKind, predictor(p, image, what));
        for (JsonNode q : root.path("baseline_predictors")) {
            String kind = q.path("kind").asText("");
            if (kind.isEmpty()) throw new UserError(what + ": a \"baseline_predictors\" entry lacks \"kind\"");
            if (preds.put(kind, predictor(q, image, what)) != null)
                throw new UserError(what + ": two '" + kind + "' predictors");
        }
        predictors = java.util.Collections.unmodifiableMap(preds);
        JsonNode br = root.path("bridger");
        if (br.isObject()) {
            if (image) throw new UserError(what + ": a \"bridger\" entry in an image export (BRIDGeR is low-dim only)");
            try {
                String src = br.path("source").asText("");
                if (!org.steppolicy.models.BridgerArch.GAUSSIAN.equals(src) && !org.steppolicy.models.BridgerArch.CVAE.equals(src))
                    throw new UserError(what + ": \"bridger\": unknown source '" + src + "' (expected gaussian or cvae)");
                boolean cvae = org.steppolicy.models.BridgerArch.CVAE.equals(src);
                if (cvae && !br.path("source_decoder").isObject())
                    throw new UserError(what + ": \"bridger\": a cvae source needs \"source_decoder\" (its " + OnnxExport.BRIDGER_SOURCE_FILE + ")");
                bridger = new BridgerFile(bytes(br, what), new org.steppolicy.models.StochasticInterpolant(
                        org.steppolicy.models.StochasticInterpolant.Shape.parse(br.path("interpolant").asText("")),
                        br.path("noise_scale").asDouble(Double.NaN)), src, normalizer(br.path("normalizer"), false, what),
                        cvae ? bytes(br.path("source_decoder"), what) : null);
            } catch (IllegalArgumentException e) {
                throw new UserError(what + ": \"bridger\": " + e.getMessage(), e);
            }
        } else {
            bridger = null;
        }

        // The fused file (export-onnx --fused) is optional; when the sidecar names one it must be step_policy.onnx.
        JsonNode fusedNode = root.path("fused");
        if (fusedNode.isObject()) {
            String name = fusedNode.path("file").asText("");
            if (!FusedOnnx.FILE.equals(name))
                throw new UserError(what + ": \"fused\" names '" + name + "', expected " + FusedOnnx.FILE);
            if (!Files.isRegularFile(dir.resolve(name))) throw new UserError(what + ": " + name + " is missing (named under \"fused\")");
            fusedMethod = fusedNode.path("method").asText("");
        } else {
            fusedMethod = null;
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add(OnnxExport.SIDECAR);
        names.add(dpNode.path("file").asText());
        if (image) names.add(root.path("image").path("obs_encoder").path("file").asText());
        if (p.isObject()) names.add(p.path("file").asText());
        for (JsonNode q : root.path("baseline_predictors")) names.add(q.path("file").asText());
        if (fusedMethod != null) names.add(FusedOnnx.FILE);
        if (bridger != null) names.add(br.path("file").asText());
        if (bridger != null && bridger.sourceOnnx() != null) names.add(br.path("source_decoder").path("file").asText());
        files = List.copyOf(names);
    }

    /** The files the sidecar names, policy.json first (checksums.sha256 not included). */
    public List<String> files() { return files; }

    /** The method of the export's {@value FusedOnnx#FILE} (e.g. "step:2:noperturb"), or null when it has none. */
    public String fusedMethod() { return fusedMethod; }

    /** dp.onnx's bytes. */
    public byte[] dpOnnx() { return dp.clone(); }

    /** The bytes of the predictor of {@code kind}. */
    public byte[] predictorOnnx(String kind) { return predictorFile(kind).onnx().clone(); }

    /** Whether the predictor of {@code kind} reads the previous chunk. */
    public boolean predictorUsesPrevious(String kind) { return predictorFile(kind).usesPrevious(); }

    /** The normaliser the predictor of {@code kind} was trained with. */
    public DatasetNormalizer predictorNormalization(String kind) { return predictorFile(kind).normalization(); }

    private PredictorFile predictorFile(String kind) {
        PredictorFile f = predictors.get(kind);
        if (f == null) throw new UserError(dir + ": the export has no '" + kind + "' predictor");
        return f;
    }

    private PredictorFile predictor(JsonNode p, boolean image, String what) {
        return new PredictorFile(bytes(p, what), hasInput(p, StepPredictorNet.PREV_ACTION), normalizer(p.path("normalizer"), image, what));
    }

    public Path dir() { return dir; }

    public PolicyShape shape() { return shape; }

    public SchedulerConfig scheduler() { return scheduler; }

    public DatasetNormalizer normalization() { return normalization; }

    /** The kind of predictor.onnx ("step" or "spatial"), or null when the export has no predictor. */
    public String predictorKind() { return predictorKind; }

    /** Every predictor kind the export holds, predictor.onnx's first. */
    public Set<String> predictorKinds() {
        if (bridger == null) return predictors.keySet();
        Set<String> kinds = new java.util.LinkedHashSet<>(predictors.keySet());
        kinds.add(org.steppolicy.infer.Method.BRIDGER_KIND);   // bridger:K reads it like a predictor kind
        return java.util.Collections.unmodifiableSet(kinds);
    }

    /** The observation layout of an image export; null for a low-dim one. */
    public ImageInput image() { return image; }

    /** Fresh ONNX Runtime sessions of the DP and, when asked, predictor.onnx; the caller closes them. */
    public PolicyModels open(boolean withPredictor, int threads) {
        if (withPredictor && predictorKind == null) throw new UserError(dir + ": the export has no " + OnnxExport.PREDICTOR_FILE);
        return open(withPredictor ? predictorKind : null, threads);
    }

    /** Fresh ONNX Runtime sessions of the DP and of the predictor of {@code kind} (none when null); the caller closes them. */
    public PolicyModels open(String kind, int threads) {
        if (org.steppolicy.infer.Method.BRIDGER_KIND.equals(kind)) {
            if (bridger == null) throw new UserError(dir + ": the export has no BRIDGeR model (" + OnnxExport.BRIDGER_FILE + ")");
            org.steppolicy.infer.ChunkSource source = bridger.sourceOnnx() == null ? org.steppolicy.infer.ChunkSource.GAUSSIAN
                    : CvaeChunkSource.onnx(bridger.sourceOnnx(), threads).requireShape(shape.horizon(), shape.actionDim(), shape.condDim());
            return open(null, threads).withBridger(new org.steppolicy.infer.BridgerModel(NetBridgeNetwork.onnx(bridger.onnx(),
                    shape.horizon(), shape.actionDim(), shape.condDim(), threads), bridger.interpolant(), source, bridger.normalization()));
        }
        PredictorFile pf = kind == null ? null : predictors.get(kind);
        if (kind != null && pf == null) throw new UserError(dir + ": the export has no '" + kind + "' predictor");
        Denoiser unet = new OnnxDenoiser(dp, shape.horizon(), inputDim, unetCondDim, threads);
        Denoiser d = encoder == null ? unet
                : new EncodedDenoiser(new OrtModel(encoder, List.of(ImageObsEncoder.INPUT), ImageObsEncoder.OUTPUT, threads), unet);
        ChunkPredictor p = pf == null ? null
                : new OnnxChunkPredictor(pf.onnx(), shape.horizon(), shape.actionDim(), pf.usesPrevious(), threads);
        return new PolicyModels(shape, d, normalization, p, pf == null ? null : pf.normalization(), scheduler);
    }

    private static int integer(JsonNode n, String key, String what) {
        JsonNode v = n.path(key);
        if (!v.canConvertToInt()) throw new UserError(what + ": lacks the integer \"" + key + "\"");
        return v.asInt();
    }

    private static int[] inputShape(JsonNode net, String name, String what) {
        for (JsonNode in : net.path("inputs")) {
            if (!name.equals(in.path("name").asText())) continue;
            JsonNode s = in.path("shape");
            int[] out = new int[s.size()];
            for (int i = 0; i < out.length; i++) out[i] = s.get(i).asInt(); // the batch axis reads as 0
            return out;
        }
        throw new UserError(what + ": the DP has no input \"" + name + "\"");
    }

    private static boolean hasInput(JsonNode net, String name) {
        for (JsonNode in : net.path("inputs")) if (name.equals(in.path("name").asText())) return true;
        return false;
    }

    private byte[] bytes(JsonNode net, String what) {
        String name = net.path("file").asText("");
        if (name.isEmpty()) throw new UserError(what + ": a model entry lacks \"file\"");
        FolderFile.resolve(dir, name, what);   // a path or '..' is refused before anything is opened
        sums.requireListed(name, "export " + dir);
        return FolderFile.read(dir, name, FolderFile.MAX_MODEL_BYTES, "export " + dir);
    }

    private static String oneLine(String s) {
        s = String.valueOf(s).replaceAll("\\s+", " ").trim();
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /**
     * The sidecar's normaliser; an image export writes the low-dim part only, so the pixels (already in [0, 1]) get
     * the identity up to obs_dim, as {@link PolicyLoader} does for image checkpoints.
     */
    private DatasetNormalizer normalizer(JsonNode n, boolean image, String what) {
        try {
            LinearNormalizer obs = affine(n.path("obs"), shape.obsDim(), image, what + " obs normaliser");
            LinearNormalizer act = affine(n.path("action"), shape.actionDim(), false, what + " action normaliser");
            return new DatasetNormalizer(obs, act);
        } catch (IllegalArgumentException e) {
            throw new UserError(what + ": " + e.getMessage(), e);
        }
    }

    private static LinearNormalizer affine(JsonNode n, int dim, boolean lowDimPart, String what) {
        JsonNode s = n.path("scale"), o = n.path("offset");
        if (!s.isArray() || !o.isArray() || s.size() != o.size() || s.size() > dim || (!lowDimPart && s.size() != dim))
            throw new UserError(what + ": needs \"scale\" and \"offset\" arrays of " + dim + " values");
        float[] scale = new float[dim], offset = new float[dim];
        java.util.Arrays.fill(scale, 1f);
        for (int i = 0; i < s.size(); i++) {
            scale[i] = (float) s.get(i).asDouble();
            offset[i] = (float) o.get(i).asDouble();
        }
        return LinearNormalizer.affine(scale, offset);
    }
}
