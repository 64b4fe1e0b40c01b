package org.steppolicy.infer.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.ChunkPredictor;
import org.steppolicy.infer.Denoiser;
import org.steppolicy.infer.Normalization;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PolicyNormalization;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.ImageObsEncoder;
import org.steppolicy.models.StepPredictorNet;

/**
 * A folder written by {@link OnnxExport} (step export-onnx), read back for inference: sizes, normalisers and noise
 * scheduler from {@value OnnxExport#SIDECAR}, the networks as ONNX bytes. Immutable; every {@link #open} starts fresh
 * ONNX Runtime sessions (exports run on ONNX Runtime only).
 */
public final class OnnxExportFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final PolicyShape shape;
    private final SchedulerConfig scheduler;
    private final PolicyNormalization normalization, predictorNormalization;
    private final byte[] dp, encoder, predictor;
    private final int inputDim, unetCondDim;
    private final String predictorKind;
    private final boolean predictorUsesPrevious;

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
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError("cannot read " + what + ": " + e.getMessage(), e);
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

        JsonNode p = root.path("predictor");
        if (p.isObject()) {
            predictorKind = p.path("kind").asText("step");
            predictorUsesPrevious = hasInput(p, StepPredictorNet.PREV_ACTION);
            predictorNormalization = normalizer(p.path("normalizer"), image, what);
            predictor = bytes(p, what);
        } else {
            predictorKind = null;
            predictorUsesPrevious = false;
            predictorNormalization = null;
            predictor = null;
        }
    }

    public Path dir() { return dir; }

    public PolicyShape shape() { return shape; }

    public SchedulerConfig scheduler() { return scheduler; }

    public PolicyNormalization normalization() { return normalization; }

    /** "step" or "spatial", or null when the export has no predictor. */
    public String predictorKind() { return predictorKind; }

    /** Fresh ONNX Runtime sessions of the DP and, when asked, the predictor; the caller closes them. */
    public PolicyModels open(boolean withPredictor, int threads) {
        if (withPredictor && predictor == null) throw new UserError(dir + ": the export has no " + OnnxExport.PREDICTOR_FILE);
        Denoiser unet = new OnnxDenoiser(dp, shape.horizon(), inputDim, unetCondDim, threads);
        Denoiser d = encoder == null ? unet
                : new EncodedDenoiser(new OrtModel(encoder, List.of(ImageObsEncoder.INPUT), ImageObsEncoder.OUTPUT, threads), unet);
        ChunkPredictor p = withPredictor
                ? new OnnxChunkPredictor(predictor, shape.horizon(), shape.actionDim(), predictorUsesPrevious, threads) : null;
        return new PolicyModels(shape, d, normalization, p, withPredictor ? predictorNormalization : null, scheduler);
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
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
            throw new UserError("cannot read " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The sidecar's normaliser; an image export writes the low-dim part only, so the pixels (already in [0, 1]) get
     * the identity up to obs_dim, as {@link PolicyLoader} does for image checkpoints.
     */
    private PolicyNormalization normalizer(JsonNode n, boolean image, String what) {
        try {
            Normalization obs = affine(n.path("obs"), shape.obsDim(), image, what + " obs normaliser");
            Normalization act = affine(n.path("action"), shape.actionDim(), false, what + " action normaliser");
            return new PolicyNormalization(obs, act);
        } catch (IllegalArgumentException e) {
            throw new UserError(what + ": " + e.getMessage(), e);
        }
    }

    private static Normalization affine(JsonNode n, int dim, boolean lowDimPart, String what) {
        JsonNode s = n.path("scale"), o = n.path("offset");
        if (!s.isArray() || !o.isArray() || s.size() != o.size() || s.size() > dim || (!lowDimPart && s.size() != dim))
            throw new UserError(what + ": needs \"scale\" and \"offset\" arrays of " + dim + " values");
        float[] scale = new float[dim], offset = new float[dim];
        java.util.Arrays.fill(scale, 1f);
        for (int i = 0; i < s.size(); i++) {
            scale[i] = (float) s.get(i).asDouble();
            offset[i] = (float) o.get(i).asDouble();
        }
        return new Normalization(scale, offset);
    }
}
