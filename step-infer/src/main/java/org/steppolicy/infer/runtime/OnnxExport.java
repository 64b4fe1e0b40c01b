package org.steppolicy.infer.runtime;

import org.steppolicy.models.DiffusionSchedule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.steppolicy.infer.MethodConfig;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.ImageObsEncoder;
import org.steppolicy.models.ImageObsSpec;
import org.steppolicy.models.OnnxBuilder;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.models.WeightStorage;
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
            ENCODER_FILE = "obs_encoder.onnx", BRIDGER_FILE = "bridger.onnx",
            BRIDGER_SOURCE_FILE = "bridger_source.onnx";
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
        return write(dp, predictors, dir, null);
    }

    /**
     * As {@link #write(PolicyBundle, List, Path)}, and with {@code fused} (a method from {@link FusedOnnx#resolve})
     * also {@value FusedOnnx#FILE}, the whole control call in one graph, described under the sidecar's "fused".
     */
    public static List<Path> write(PolicyBundle dp, List<PredictorBundle> predictors, Path dir, MethodConfig fused) throws IOException {
        return write(dp, predictors, dir, fused, WeightStorage.FLOAT32);
    }

    /**
     * As {@link #write(PolicyBundle, List, Path, MethodConfig)}, the network files' weights stored as {@code storage}
     * says (the fused file, when asked for, keeps float32 weights).
     */
    public static List<Path> write(PolicyBundle dp, List<PredictorBundle> predictors, Path dir, MethodConfig fused,
                                   WeightStorage storage) throws IOException {
        PredictorBundle main = primary(predictors);
        List<PredictorBundle> baselines = predictors.stream().filter(p -> p != main).toList();
        PolicyBundle b = dp.withPredictor(main);
        byte[] dpBytes = b.dp().toOnnx(b.dpParams()).toByteArray();
        byte[] fusedBytes = null;
        if (fused != null) {
            if (b.hasImages()) throw new org.steppolicy.config.UserError("--fused: image policies are not supported by the fused file");
            String kind = fused.method().predictorKind();
            PredictorBundle fp = kind == null ? null : predictors.stream().filter(p -> kind.equals(p.kind())).findFirst()
                    .orElseThrow(() -> new org.steppolicy.config.UserError("--fused: " + org.steppolicy.infer.MissingPredictor.message(
                            fused.label(), kind, "the policy", predictors.stream().map(PredictorBundle::kind).toList())));
            if (fp != null && !fp.normalization().obs().sameAs(b.normalization().obs(), 1e-6))
                throw new org.steppolicy.config.UserError("--fused: the predictor was trained with another observation normaliser than the DP");
            fusedBytes = FusedOnnx.build(new FusedOnnx.Parts(b.shape(), b.scheduler(), b.normalization(), dpBytes,
                    fp == null ? null : OnnxBuilder.export(fp.net(), fp.params(), "step_predictor_" + fp.kind()).toByteArray(),
                    fp != null && fp.usesPreviousChunk()), fused).toByteArray();
        }
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        try {
            out.add(writeAtomically(dir.resolve(DP_FILE), storage == WeightStorage.FLOAT32 ? dpBytes
                    : storage.bytes(b.dp().toOnnx(b.dpParams()))));
            if (b.hasImages())
                out.add(writeAtomically(dir.resolve(ENCODER_FILE), storage.bytes(OnnxBuilder.export(b.encoder(), b.dpParams(), "obs_encoder"))));
            PredictorBundle p = b.predictor();
            if (p != null)
                out.add(writeAtomically(dir.resolve(PREDICTOR_FILE), storage.bytes(OnnxBuilder.export(p.net(), p.params(), "step_predictor_" + p.kind()))));
            for (PredictorBundle q : baselines)
                out.add(writeAtomically(dir.resolve(predictorFile(q.kind())), storage.bytes(OnnxBuilder.export(q.net(), q.params(), "step_predictor_" + q.kind()))));
            if (b.bridger() != null)   // BRIDGeR's own policy beside the DP (docs/bridger.md)
                writeBridger(b.bridger(), dir, out, storage);
            ObjectNode side = sidecar(b, baselines);
            List<JsonNode> networks = new ArrayList<>(List.of(side.path("dp"), side.path("predictor"), side.path("bridger"),
                    side.path("image").path("obs_encoder")));
            side.path("baseline_predictors").forEach(networks::add);
            for (JsonNode n : networks) if (n instanceof ObjectNode o) stored(o, storage);
            if (fusedBytes != null) {
                out.add(writeAtomically(dir.resolve(FusedOnnx.FILE), fusedBytes));
                String kind = fused.method().predictorKind();
                boolean prev = kind != null && predictors.stream().anyMatch(q -> kind.equals(q.kind()) && q.usesPreviousChunk());
                side.set("fused", fusedEntry(fused, b.shape(), b.scheduler(), prev));
            }
            out.add(writeAtomically(dir.resolve(SIDECAR), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(side)));
            return withChecksums(dir, out);
        } catch (IOException | RuntimeException e) {
            // An export is whole or absent: a half-written folder (a full disk) would be refused by the rerun and
            // could be taken for a complete export.
            for (Path f : out) deleteQuietly(f, e);
            throw e;
        }
    }

    /**
     * A new export from an existing one with some predictors replaced: its DP files (dp.onnx, obs_encoder.onnx) are
     * copied byte for byte, each given predictor is written in place of the one of its kind (or added), the others are
     * copied, and policy.json keeps everything but the predictor entries. How a retrained predictor ships beside a DP
     * whose checkpoint is gone. The predictors must fit the folder (horizon, action dim, normaliser).
     */
    public static List<Path> withPredictors(OnnxExportFolder from, List<PredictorBundle> predictors, Path dir) throws IOException {
        return withPredictors(from, predictors, null, dir);
    }

    /**
     * As {@link #withPredictors(OnnxExportFolder, List, Path)}, and with {@code bridger} (null: the folder's own, if
     * any, copied) written as {@value #BRIDGER_FILE} with policy.json's "bridger" entry: how a BRIDGeR model ships
     * beside an exported DP such as models/pusht-lowdim. It must fit the folder (horizon, action dim, condition, and
     * the DP's normaliser, which bridger:K shares).
     */
    public static List<Path> withPredictors(OnnxExportFolder from, List<PredictorBundle> predictors, BridgerBundle bridger, Path dir)
            throws IOException {
        return withPredictors(from, predictors, bridger, dir, WeightStorage.FLOAT32);
    }

    /**
     * As {@link #withPredictors(OnnxExportFolder, List, BridgerBundle, Path)}, the networks it writes (the given
     * predictors and BRIDGeR model) stored as {@code storage} says; the files copied from the folder stay as they are.
     */
    public static List<Path> withPredictors(OnnxExportFolder from, List<PredictorBundle> predictors, BridgerBundle bridger, Path dir,
                                            WeightStorage storage) throws IOException {
        verify(from.dir());
        PolicyShape shape = from.shape();
        if (bridger != null) {
            org.steppolicy.models.BridgerNet net = bridger.arch().net();
            if (net.horizon() != shape.horizon() || net.actionDim() != shape.actionDim() || net.condDim() != shape.condDim())
                throw new org.steppolicy.config.UserError("the BRIDGeR model has horizon " + net.horizon() + ", action_dim " + net.actionDim()
                        + " and condition " + net.condDim() + "; " + from.dir() + " has " + shape.horizon() + ", " + shape.actionDim()
                        + " and " + shape.condDim());
            if (from.image() != null) throw new org.steppolicy.config.UserError(from.dir() + " is an image export; BRIDGeR is low-dim only");
            if (!bridger.normalization().obs().sameAs(from.normalization().obs(), 1e-6)
                    || !bridger.normalization().action().sameAs(from.normalization().action(), 1e-6))
                throw new org.steppolicy.config.UserError("the BRIDGeR model was trained with another normaliser than " + from.dir() + "'s");
        }
        for (PredictorBundle p : predictors) {
            if (p.horizon() != shape.horizon() || p.actionDim() != shape.actionDim())
                throw new org.steppolicy.config.UserError("the " + p.kind() + " predictor has horizon " + p.horizon() + " and action_dim "
                        + p.actionDim() + "; " + from.dir() + " has " + shape.horizon() + " and " + shape.actionDim());
            if (!p.normalization().obs().sameAs(from.normalization().obs(), 1e-6)
                    || !p.normalization().action().sameAs(from.normalization().action(), 1e-6))
                throw new org.steppolicy.config.UserError("the " + p.kind() + " predictor was trained with another normaliser than " + from.dir() + "'s");
        }
        primary(predictors); // one per kind
        ObjectNode sidecar = (ObjectNode) JSON.readTree(from.dir().resolve(SIDECAR).toFile());
        // Every predictor of the result, by kind: the folder's, then the given ones over them.
        java.util.Map<String, JsonNode> entries = new java.util.LinkedHashMap<>();
        List<JsonNode> old = new ArrayList<>();
        if (sidecar.hasNonNull("predictor")) old.add(sidecar.get("predictor"));
        if (sidecar.has("baseline_predictors")) sidecar.get("baseline_predictors").forEach(old::add);
        for (JsonNode e : old) entries.put(e.get("kind").asText(), e);
        java.util.Map<String, PredictorBundle> fresh = new java.util.LinkedHashMap<>();
        for (PredictorBundle p : predictors) fresh.put(p.kind(), p);
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        try {
            for (String f : List.of(DP_FILE, ENCODER_FILE))
                if (Files.exists(from.dir().resolve(f))) out.add(writeAtomically(dir.resolve(f), Files.readAllBytes(from.dir().resolve(f))));
            if (bridger != null) {
                writeBridger(bridger, dir, out, storage);
                sidecar.set("bridger", stored(bridgerEntry(bridger, shape), storage));
            } else if (sidecar.path("bridger").isObject()) {   // the folder's own BRIDGeR model stays with its entry
                JsonNode br = sidecar.get("bridger");
                List<String> files = new ArrayList<>(List.of(br.path("file").asText(BRIDGER_FILE)));
                if (br.path("source_decoder").isObject()) files.add(br.path("source_decoder").path("file").asText(BRIDGER_SOURCE_FILE));
                for (String f : files) out.add(writeAtomically(dir.resolve(f), Files.readAllBytes(from.dir().resolve(f))));
            }
            String mainKind = entries.containsKey("step") || fresh.containsKey("step") ? "step"
                    : !entries.isEmpty() ? entries.keySet().iterator().next() : predictors.isEmpty() ? null : predictors.get(0).kind();
            java.util.Set<String> kinds = new java.util.LinkedHashSet<>(entries.keySet());
            kinds.addAll(fresh.keySet());
            ArrayNode baselines = JSON.createArrayNode();
            sidecar.putNull("predictor");
            for (String kind : kinds) {
                String file = kind.equals(mainKind) ? PREDICTOR_FILE : predictorFile(kind);
                ObjectNode entry;
                if (fresh.containsKey(kind)) {
                    PredictorBundle p = fresh.get(kind);
                    out.add(writeAtomically(dir.resolve(file), storage.bytes(OnnxBuilder.export(p.net(), p.params(), "step_predictor_" + p.kind()))));
                    entry = stored(predictorEntry(p, file, shape, from.normalization()), storage);
                } else {
                    entry = ((ObjectNode) entries.get(kind)).deepCopy();
                    out.add(writeAtomically(dir.resolve(file), Files.readAllBytes(from.dir().resolve(entry.get("file").asText()))));
                    entry.put("file", file);
                }
                if (kind.equals(mainKind)) sidecar.set("predictor", entry);
                else baselines.add(entry);
            }
            sidecar.remove("baseline_predictors");
            if (!baselines.isEmpty()) sidecar.set("baseline_predictors", baselines);
            out.add(writeAtomically(dir.resolve(SIDECAR), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(sidecar)));
            return withChecksums(dir, out);
        } catch (IOException | RuntimeException e) {
            // Whole or absent, as write() leaves it: a half-written folder would be refused by the rerun.
            for (Path f : out) deleteQuietly(f, e);
            throw e;
        }
    }

    /**
     * Copies the export in {@code src} to {@code dir} and adds {@value FusedOnnx#FILE} for {@code fused}, grafted from
     * the export's own dp.onnx and predictor files (no checkpoint needed, e.g. for {@code models/pusht-lowdim}); the
     * copied policy.json gains the "fused" entry and checksums.sha256 covers every file.
     */
    public static List<Path> writeFused(OnnxExportFolder src, Path dir, MethodConfig fused) throws IOException {
        if (src.image() != null) throw new org.steppolicy.config.UserError("--fused: image policies are not supported by the fused file");
        String kind = fused.method().predictorKind();
        if (kind != null && !src.predictorKinds().contains(kind))
            throw new org.steppolicy.config.UserError("--fused: " + org.steppolicy.infer.MissingPredictor.message(fused.label(), kind, src.dir(), src.predictorKinds()));
        if (kind != null && !src.predictorNormalization(kind).obs().sameAs(src.normalization().obs(), 1e-6))
            throw new org.steppolicy.config.UserError("--fused: the predictor was trained with another observation normaliser than the DP");
        boolean prev = kind != null && src.predictorUsesPrevious(kind);
        byte[] bytes = FusedOnnx.build(new FusedOnnx.Parts(src.shape(), src.scheduler(), src.normalization(), src.dpOnnx(),
                kind == null ? null : src.predictorOnnx(kind), prev), fused).toByteArray();
        ObjectNode side = (ObjectNode) JSON.readTree(src.dir().resolve(SIDECAR).toFile());
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>();
        try {
            for (String f : src.files()) {
                if (f.equals(SIDECAR) || f.equals(FusedOnnx.FILE)) continue;
                out.add(writeAtomically(dir.resolve(f), Files.readAllBytes(src.dir().resolve(f))));
            }
            out.add(writeAtomically(dir.resolve(FusedOnnx.FILE), bytes));
            side.set("fused", fusedEntry(fused, src.shape(), src.scheduler(), prev));
            out.add(writeAtomically(dir.resolve(SIDECAR), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(side)));
            return withChecksums(dir, out);
        } catch (IOException | RuntimeException e) {
            // Whole or absent, as write() leaves it: a half-written folder would be refused by the rerun.
            for (Path f : out) deleteQuietly(f, e);
            throw e;
        }
    }

    /** The sidecar's "fused" entry: file, method, timesteps, inputs, outputs and the noise layout. */
    static ObjectNode fusedEntry(MethodConfig m, PolicyShape s, SchedulerConfig sc, boolean readsPrevious) {
        DiffusionSchedule sch = sc.noiseSchedule();
        ObjectNode f = JSON.createObjectNode();
        f.put("file", FusedOnnx.FILE);
        f.put("method", m.label());
        f.put("solver", "ddim");
        ArrayNode ts = f.putArray("timesteps");
        for (int t : m.timesteps(sch)) ts.add(t);
        f.put("perturbation", false);
        if (readsPrevious) {
            ObjectNode cold = f.putObject("cold_start");
            cold.put("solver", "ddim");
            ArrayNode cts = cold.putArray("timesteps");
            for (int t : FusedOnnx.coldTimesteps(m, sc)) cts.add(t);
            cold.put("note", "first_call = 1 (the first call of an episode: no previous chunk) runs this chain from the noise instead of the warm start");
        }
        ArrayNode in = f.putArray("inputs");
        in.add(io(FusedOnnx.OBS, "float32", "batch", s.obsSteps(), s.obsDim()).put("note", "the last n_obs_steps raw observations, oldest first"));
        in.add(io(FusedOnnx.PREV_CHUNK, "float32", "batch", s.horizon(), s.actionDim()).put("note", readsPrevious
                ? "the raw chunk output by the previous call (any values on the first call)" : "ignored by this method"));
        in.add(io(FusedOnnx.NOISE, "float32", "batch", s.horizon(), s.actionDim()).put("note", "standard-normal draws, see \"noise\""));
        in.add(io(FusedOnnx.FIRST_CALL, "float32", 1).put("note", readsPrevious
                ? "1 on the first call after a reset (cold start), 0 after" : "ignored by this method"));
        ArrayNode outs = f.putArray("outputs");
        outs.add(io(FusedOnnx.ACTIONS, "float32", "batch", s.actionSteps(), s.actionDim())
                .put("note", "raw actions to execute: chunk indices first_executed_index .. first_executed_index + n_action_steps - 1"));
        outs.add(io(FusedOnnx.CHUNK, "float32", "batch", s.horizon(), s.actionDim()).put("note", "the raw chunk; the next call's prev_chunk"));
        f.put("noise", FusedOnnx.warmStarted(m)
                ? "one draw per chunk element, row-major [horizon, action_dim]: the strided warm start's epsilon in"
                  + " x = sqrt(abar_t0) * estimate + sqrt(1 - abar_t0) * noise" + (readsPrevious ? "; on the first call the cold chain's starting sample" : "")
                : "one draw per chunk element, row-major [horizon, action_dim]: the DDIM chain's starting sample");
        f.put("java_equivalent", "ChunkPlanner with method " + m.label()
                + (readsPrevious ? ", inference.cold_start_solver=ddim, inference.cold_start_steps=" + m.coldStart().steps() : "")
                + ", noise GaussianNoise.replay(noise)");
        return f;
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
            if (im.spatialSoftmax()) {   // informational: obs_encoder.onnx holds the graph; avg exports keep their old keys
                image.put("image_pool", im.imagePool());
                image.put("spatial_softmax_keypoints", im.spatialSoftmaxKeypoints());
            }
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
        else root.set("predictor", predictorEntry(p, PREDICTOR_FILE, b.shape(), lowDim(p.normalization(), b)));
        // Additive: written only when there are other kinds, so a single-predictor sidecar stays as it always was.
        if (!baselines.isEmpty()) {
            ArrayNode more = root.putArray("baseline_predictors");
            for (PredictorBundle q : baselines) more.add(predictorEntry(q, predictorFile(q.kind()), b.shape(), lowDim(q.normalization(), b)));
        }
        if (b.bridger() != null) root.set("bridger", bridgerEntry(b.bridger(), s));
        return root;
    }

    /**
     * Marks a network entry of policy.json as stored in float16 ("weights": "float16"; readers that do not know the key
     * lose nothing, ONNX Runtime widens the weights itself). Float32 entries stay unmarked, as every earlier export.
     */
    private static ObjectNode stored(ObjectNode entry, WeightStorage storage) {
        if (storage != WeightStorage.FLOAT32) entry.put("weights", storage.id());
        return entry;
    }

    /** bridger.onnx, and for a cvae source the decoder bridger:K draws its start from (bridger_source.onnx). */
    private static void writeBridger(BridgerBundle br, Path dir, List<Path> out, WeightStorage storage) throws IOException {
        out.add(writeAtomically(dir.resolve(BRIDGER_FILE), storage.bytes(br.arch().net().toOnnx(br.params()))));
        if (br.arch().cvae() != null) {
            org.steppolicy.models.CvaeDecoderNet dec = br.arch().cvae().decoder();
            out.add(writeAtomically(dir.resolve(BRIDGER_SOURCE_FILE), storage.bytes(dec.toOnnx(dec.select(br.sourceParams())))));
        }
    }

    /** policy.json's "bridger": BRIDGeR's velocity and score networks in one file, and how to sample them. */
    private static ObjectNode bridgerEntry(BridgerBundle br, PolicyShape s) {
        ObjectNode e = JSON.createObjectNode();
        e.put("file", BRIDGER_FILE);
        e.put("source", br.arch().source());
        e.put("interpolant", br.arch().interpolant().shape().label());
        e.put("noise_scale", br.arch().interpolant().noiseScale());
        e.put("note", "x_t = alpha(t) x0 + beta(t) x1 + sqrt(2t(1-t)) z, z = noise_scale*N(0,I); x0 from the source, "
                + "bridged to t=1 in K steps (docs/bridger.md)");
        ArrayNode in = e.putArray("inputs");
        in.add(io(ConditionalUnet1d.SAMPLE, "float32", "batch", s.horizon(), s.actionDim()).put("note", "x_t, normalised actions"));
        in.add(io(ConditionalUnet1d.TIMESTEP, "float32", "batch").put("note", "the interpolant time t in [0.001, 0.999]"));
        in.add(io(ConditionalUnet1d.GLOBAL_COND, "float32", "batch", s.condDim())
                .put("note", "normalised observations of the last n_obs_steps steps, flattened time-major"));
        e.set("output", io(org.steppolicy.models.BridgerNet.OUTPUT, "float32", "batch", s.horizon(), 2 * s.actionDim())
                .put("note", "per chunk step: action_dim velocity values, then action_dim score values"));
        e.set("normalizer", normalizer(br.normalization()));
        org.steppolicy.models.CvaeArch cvae = br.arch().cvae();
        if (cvae != null) {   // gaussian entries stay as they were
            ObjectNode d = e.putObject("source_decoder");
            d.put("file", BRIDGER_SOURCE_FILE);
            d.put("note", "the CVAE source's decoder: x0 = decoder(z, global_cond), z ~ N(0, I)");
            ArrayNode din = d.putArray("inputs");
            din.add(io(org.steppolicy.models.CvaeDecoderNet.LATENT, "float32", "batch", cvae.latentDim()).put("note", "z ~ N(0, I)"));
            din.add(io(ConditionalUnet1d.GLOBAL_COND, "float32", "batch", s.condDim()).put("note", "as bridger.onnx's global_cond"));
            d.set("output", io(org.steppolicy.models.CvaeDecoderNet.OUTPUT, "float32", "batch", s.horizon(), s.actionDim())
                    .put("note", "x0, normalised actions"));
        }
        return e;
    }

    private static ObjectNode predictorEntry(PredictorBundle p, String file, PolicyShape s, DatasetNormalizer norm) {
        ObjectNode pr = JSON.createObjectNode();
        pr.put("file", file);
        pr.put("kind", p.kind());
        ArrayNode pin = pr.putArray("inputs");
        pin.add(io(StepPredictorNet.OBS, "float32", "batch", s.obsSteps(), s.obsDim()).put("note", "normalised"));
        if (p.usesPreviousChunk())
            pin.add(io(StepPredictorNet.PREV_ACTION, "float32", "batch", s.horizon(), s.actionDim())
                    .put("note", "the previous normalised action chunk"));
        pr.set("output", io(StepPredictorNet.ACTION_PRED, "float32", "batch", s.horizon(), s.actionDim()));
        pr.set("normalizer", normalizer(norm));
        return pr;
    }

    /** Image policies: only the low-dim part of the obs normaliser (the pixels' identity is the layout's rule). */
    private static DatasetNormalizer lowDim(DatasetNormalizer n, PolicyBundle b) {
        if (!b.hasImages()) return n;
        int d = b.encoder().spec().lowDim();
        LinearNormalizer o = n.obs();
        return new DatasetNormalizer(LinearNormalizer.affine(java.util.Arrays.copyOf(o.scale(), d), java.util.Arrays.copyOf(o.offset(), d)),
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

    private static ObjectNode normalizer(DatasetNormalizer n) {
        ObjectNode o = JSON.createObjectNode();
        o.set("obs", affine(n.obs()));
        o.set("action", affine(n.action()));
        return o;
    }

    private static ObjectNode affine(LinearNormalizer n) {
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

    /**
     * Lists the SHA-256 of every written file in checksums.sha256 (sha256sum's format: `sha256sum -c` or
     * Checksums.verifyAll checks a copy) and returns the files, the checksum file included (so a failed save is cleaned up too).
     */
    private static List<Path> withChecksums(Path dir, List<Path> out) throws IOException {
        Checksums sums = new Checksums();
        for (Path f : out) sums.add(dir, f.getFileName().toString());
        out.add(dir.resolve(Checksums.FILE));
        sums.save(dir);
        return out;
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
