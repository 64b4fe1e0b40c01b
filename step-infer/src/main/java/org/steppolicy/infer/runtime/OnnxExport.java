package org.steppolicy.infer.runtime;

import org.steppolicy.models.DiffusionSchedule;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.infer.Normalization;
import org.steppolicy.infer.PolicyNormalization;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.ImageObsEncoder;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.OnnxBuilder;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.run.Checksums;

/**
 * Writes a policy for use outside Java: {@value #DP_FILE} (the U-Net), {@value #PREDICTOR_FILE} (when a predictor
 * is given; the step one when several are), {@code predictor-<kind>.onnx} for each other predictor kind (listed under
 * the sidecar's {@code "baseline_predictors"}, so readers that know only {@code "predictor"} still work) — all rendered by {@link OnnxBuilder} from the same definitions SameDiff trains, opset 17, dynamic batch —
 * and the sidecar {@value #SIDECAR} with everything a caller needs to run a denoising loop: sizes, input/output
 * names and shapes, normalisers (normalised = raw·scale + offset), the ᾱ schedule and the conditioning mode; and
 * {@code checksums.sha256}, the SHA-256 of each file.
 * docs/onnx.md shows one denoising step in Python with onnxruntime.
 */
public final class OnnxExport {
    public static final String DP_FILE = "dp.onnx", PREDICTOR_FILE = "predictor.onnx", SIDECAR = "policy.json",
            ENCODER_FILE = "obs_encoder.onnx";
    /** Bumped when the sidecar's meaning changes. */
    public static final String FORMAT = "step-policy-onnx/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxExport() {}

    /** Writes the files into {@code dir} (created if needed) and returns their paths. */
    public static List<Path> write(PolicyBundle b, Path dir) throws IOException {
        return write(b.withPredictor(null), b.predictor() == null ? List.of() : List.of(b.predictor()), dir);
    }

    /**
     * Writes the DP of {@code dp} (its own predictor is ignored) with several predictors, at most one per kind: the
     * step one (else the first) as {@value #PREDICTOR_FILE}, each other as {@link #predictorFile(String)}.
     */
    public static List<Path> write(PolicyBundle dp, List<PredictorBundle> predictors, Path dir) throws IOException {
        PredictorBundle main = primary(predictors);
        List<PredictorBundle> baselines = predictors.stream().filter(p -> p != main).toList();
        PolicyBundle b = dp.withPredictor(main);
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        try {
            out.add(writeAtomically(dir.resolve(DP_FILE), b.dp().toOnnx(b.dpParams()).toByteArray()));
            if (b.hasImages())
                out.add(writeAtomically(dir.resolve(ENCODER_FILE), OnnxBuilder.export(b.encoder(), b.dpParams(), "obs_encoder").toByteArray()));
            PredictorBundle p = b.predictor();
            if (p != null) {
                byte[] bytes = OnnxBuilder.export(p.net(), p.params(), "step_predictor_" + p.kind()).toByteArray();
                out.add(writeAtomically(dir.resolve(PREDICTOR_FILE), bytes));
            }
            for (PredictorBundle q : baselines) {
                byte[] bytes = OnnxBuilder.export(q.net(), q.params(), "step_predictor_" + q.kind()).toByteArray();
                out.add(writeAtomically(dir.resolve(predictorFile(q.kind())), bytes));
            }
            out.add(writeAtomically(dir.resolve(SIDECAR), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sidecar(b, baselines))));
            // SHA-256 of each file (sha256sum's format): `sha256sum -c checksums.sha256`, or Checksums.verifyAll, checks a copy.
            Checksums sums = new Checksums();
            for (Path f : out) sums.add(dir, f.getFileName().toString());
            out.add(dir.resolve(Checksums.FILE));
            sums.save(dir);
            return out;
        } catch (IOException | RuntimeException e) {
            // An export is whole or absent: a half-written folder (a full disk) would be refused by the rerun and
            // could be taken for a complete export.
            for (Path f : out) deleteQuietly(f, e);
            throw e;
        }
    }

    /** Checks an export folder's files against its {@value Checksums#FILE} (no check for exports written before it). */
    public static void verify(Path dir) {
        Checksums.read(dir, "export " + dir).verifyAll(dir, "export " + dir);
    }

    /** The file of a predictor other than the one in {@value #PREDICTOR_FILE}: {@code predictor-<kind>.onnx}. */
    public static String predictorFile(String kind) {
        return "predictor-" + kind + ".onnx";
    }

    /** The step predictor when there is one (what step:N reads), else the first; a kind given twice is refused. */
    private static PredictorBundle primary(List<PredictorBundle> predictors) {
        java.util.Set<String> kinds = new java.util.HashSet<>();
        for (PredictorBundle p : predictors)
            if (!kinds.add(p.kind()))
                throw new org.steppolicy.config.UserError("two '" + p.kind() + "' predictors given; pass one of each kind (step, spatial)");
        return predictors.stream().filter(p -> "step".equals(p.kind())).findFirst()
                .orElse(predictors.isEmpty() ? null : predictors.get(0));
    }

    /** The sidecar's content (one predictor at most: the bundle's). */
    public static ObjectNode sidecar(PolicyBundle b) {
        return sidecar(b, List.of());
    }

    /** The sidecar's content: the bundle's predictor under "predictor", the others under "baseline_predictors". */
    public static ObjectNode sidecar(PolicyBundle b, List<PredictorBundle> baselines) {
        PolicyShape s = b.shape();
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("horizon", s.horizon());
        root.put("n_obs_steps", s.obsSteps());
        root.put("n_action_steps", s.actionSteps());
        root.put("obs_dim", s.obsDim());
        root.put("action_dim", s.actionDim());
        root.put("first_executed_index", s.firstExecuted());
        root.put("conditioning", b.inpainting() ? "inpainting" : "global");
        root.put("normalizer_formula", "normalized = raw * scale + offset (per dimension)");
        root.set("normalizer", normalizer(lowDim(b.normalization(), b)));
        if (b.hasImages()) {
            ImageObsSpec im = b.encoder().spec();
            ObjectNode image = root.putObject("image");
            image.put("layout", "each observation step is obs_dim values: low_dim normalised low-dim values, then the"
                    + " RGB frame centre-cropped to height x width, channels first, divided by 255 (not normalised further)");
            image.put("low_dim", im.lowDim());
            image.put("channels", ImageObsSpec.CHANNELS);
            image.put("height", im.height());
            image.put("width", im.width());
            image.put("encoder", im.encoder());
            ObjectNode enc = image.putObject("obs_encoder");
            enc.put("file", ENCODER_FILE);
            enc.set("input", io(ImageObsEncoder.INPUT, "float32", "batch", b.encoder().inputDim())
                    .put("note", "the n_obs_steps observation steps, flattened time-major"));
            enc.set("output", io(ImageObsEncoder.OUTPUT, "float32", "batch", b.encoder().outputDim())
                    .put("note", "dp.onnx's global_cond: run once per control step"));
        }

        ObjectNode dp = root.putObject("dp");
        dp.put("file", DP_FILE);
        dp.put("prediction_type", b.scheduler().predictionType().id());
        ArrayNode in = dp.putArray("inputs");
        int dim = b.dp().config().inputDim();
        in.add(io(ConditionalUnet1d.SAMPLE, "float32", "batch", s.horizon(), dim));
        in.add(io(ConditionalUnet1d.TIMESTEP, "float32", "batch").put("note", "the integer diffusion step t as a float"));
        if (!b.inpainting())
            in.add(io(ConditionalUnet1d.GLOBAL_COND, "float32", "batch", b.dp().config().globalCondDim())
                    .put("note", b.hasImages() ? "obs_encoder.onnx's output"
                            : "normalised observations of the last n_obs_steps steps, flattened time-major"));
        dp.set("output", io(ConditionalUnet1d.NOISE_PRED, "float32", "batch", s.horizon(), dim));
        if (b.inpainting())
            dp.put("layout", "sample channels: action_dim actions, then obs_dim observations; the first n_obs_steps"
                    + " steps' observation channels are fixed to the normalised observations after every step");
        ArrayNode downs = dp.putArray("down_dims");
        b.dp().config().downDims().forEach(downs::add);

        SchedulerConfig sc = b.scheduler();
        DiffusionSchedule sch = sc.noiseSchedule();
        ObjectNode schedule = root.putObject("schedule");
        schedule.put("beta_schedule", sc.betaSchedule().id());
        schedule.put("num_train_timesteps", sch.steps());
        schedule.put("beta_start", sc.betaStart());
        schedule.put("beta_end", sc.betaEnd());
        schedule.put("clip_sample", sc.clipSample());
        ArrayNode ab = schedule.putArray("alphas_cumprod");
        for (int t = 0; t < sch.steps(); t++) ab.add(sch.alphaCumprod(t));

        PredictorBundle p = b.predictor();
        if (p == null) root.putNull("predictor");
        else root.set("predictor", predictorEntry(p, PREDICTOR_FILE, b));
        // Additive: written only when there are other kinds, so a single-predictor sidecar stays as it always was.
        if (!baselines.isEmpty()) {
            ArrayNode more = root.putArray("baseline_predictors");
            for (PredictorBundle q : baselines) more.add(predictorEntry(q, predictorFile(q.kind()), b));
        }
        return root;
    }

    private static ObjectNode predictorEntry(PredictorBundle p, String file, PolicyBundle b) {
        PolicyShape s = b.shape();
        ObjectNode pr = JSON.createObjectNode();
        pr.put("file", file);
        pr.put("kind", p.kind());
        ArrayNode pin = pr.putArray("inputs");
        pin.add(io(StepPredictorNet.OBS, "float32", "batch", s.obsSteps(), s.obsDim()).put("note", "normalised"));
        if (p.usesPreviousChunk())
            pin.add(io(StepPredictorNet.PREV_ACTION, "float32", "batch", s.horizon(), s.actionDim())
                    .put("note", "the previous normalised action chunk"));
        pr.set("output", io(StepPredictorNet.ACTION_PRED, "float32", "batch", s.horizon(), s.actionDim()));
        pr.set("normalizer", normalizer(lowDim(p.normalization(), b)));
        return pr;
    }

    /** Image policies: only the low-dim part of the obs normaliser (the pixels' identity is the layout's rule). */
    private static PolicyNormalization lowDim(PolicyNormalization n, PolicyBundle b) {
        if (!b.hasImages()) return n;
        int d = b.encoder().spec().lowDim();
        Normalization o = n.obs();
        return new PolicyNormalization(new Normalization(java.util.Arrays.copyOf(o.scale(), d), java.util.Arrays.copyOf(o.offset(), d)),
                n.action());
    }

    private static ObjectNode io(String name, String type, Object... shape) {
        ObjectNode n = JSON.createObjectNode();
        n.put("name", name);
        n.put("dtype", type);
        ArrayNode a = n.putArray("shape");
        for (Object d : shape) {
            if (d instanceof Integer i) a.add(i);
            else a.add(d.toString());
        }
        return n;
    }

    private static ObjectNode normalizer(PolicyNormalization n) {
        ObjectNode o = JSON.createObjectNode();
        o.set("obs", affine(n.obs()));
        o.set("action", affine(n.action()));
        return o;
    }

    private static ObjectNode affine(Normalization n) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode s = o.putArray("scale"), off = o.putArray("offset");
        for (float v : n.scale()) s.add(v);
        for (float v : n.offset()) off.add(v);
        return o;
    }

    private static Path writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp, e);   // a leftover .tmp would make the rerun refuse the folder
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** Cleans up after {@code failure}; a file that cannot be deleted either is noted on it, not thrown instead. */
    private static void deleteQuietly(Path f, Exception failure) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
