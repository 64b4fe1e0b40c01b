package org.steppolicy.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.steppolicy.config.UserError;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.data.LinearNormalizer;
import org.steppolicy.models.TensorStore;
import org.steppolicy.models.UnetConfig;

/**
 * A LeRobot {@code pretrained_model} folder of a diffusion policy: {@code config.json} (DiffusionConfig),
 * {@code model.safetensors} (the policy's state dict, the U-Net under {@code diffusion.unet.}) and the normaliser, as
 * processor files ({@code policy_preprocessor.json} + its state file; v0.4+) or as buffers inside model.safetensors
 * (older releases). LeRobot's U-Net is diffusion_policy's with other module names ({@link #upstreamKey}); its
 * condition is, per observation step, {@code [observation.state, observation.environment_state]}, which becomes the
 * native observation vector. Image inputs need LeRobot's own ResNet + spatial-softmax encoder and are refused.
 */
final class LeRobotImporter {
    static final String CONFIG = "config.json", WEIGHTS = "model.safetensors";
    static final String PREPROCESSOR = "policy_preprocessor.json", POSTPROCESSOR = "policy_postprocessor.json";
    static final String STATE = "observation.state", ENV = "observation.environment_state", ACTION = "action";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** v0.4+ processors take eps from their config; older normalize.py hard-coded 1e-8 (MIN_MAX and MEAN_STD). */
    private static final float LEGACY_EPS = 1e-8f;

    private LeRobotImporter() {}

    /** The folder itself, or its {@code pretrained_model/} (a training checkpoint's layout). */
    static Path locate(Path dir) {
        if (Files.isRegularFile(dir.resolve(CONFIG))) return dir;
        if (Files.isRegularFile(dir.resolve("pretrained_model").resolve(CONFIG))) return dir.resolve("pretrained_model");
        throw new UserError("not a LeRobot pretrained_model folder (no " + CONFIG + ")");
    }

    static ImportedPolicy read(Path dir, PolicyImporter.Weights weights) {
        if (weights == PolicyImporter.Weights.EMA)
            throw new UserError("a LeRobot folder holds one set of weights and no EMA copy: leave out --weights or use --weights model");
        JsonNode c = json(dir.resolve(CONFIG));
        String type = c.path("type").asText(null);
        if (type == null) throw new UserError(CONFIG + " has no \"type\", so the policy class is unknown");
        if (!type.equals("diffusion"))
            throw new UserError("unsupported policy type '" + type + "': STEP imports LeRobot's diffusion policy (its ConditionalUnet1d)");
        if (!Files.isRegularFile(dir.resolve(WEIGHTS))) throw new UserError("no " + WEIGHTS + " beside " + CONFIG);

        Map<String, Integer> obs = obsFeatures(c);
        int actionDim = actionDim(c);
        int obsDim = obs.values().stream().mapToInt(Integer::intValue).sum();
        int horizon = c.path("horizon").asInt(16), to = c.path("n_obs_steps").asInt(2), ta = c.path("n_action_steps").asInt(8);
        ImportedPolicy.checkSizes(horizon, to, ta, obsDim, actionDim, CONFIG);
        UnetConfig unet;
        try {
            unet = new UnetConfig(actionDim, obsDim * to, ints(c.get("down_dims"), List.of(512, 1024, 2048)), c.path("kernel_size").asInt(5),
                    c.path("n_groups").asInt(8), c.path("diffusion_step_embed_dim").asInt(128), c.path("use_film_scale_modulation").asBoolean(true));
        } catch (IllegalArgumentException e) {
            throw new UserError("unsupported architecture: " + e.getMessage());
        }
        int levels = unet.downDims().size();
        if (horizon % (1 << levels) != 0)   // LeRobot's own rule, stricter than the U-Net's
            throw new UserError(CONFIG + ": horizon " + horizon + " is not a multiple of 2^len(down_dims) = " + (1 << levels));

        SafetensorsReader st;
        try {
            st = SafetensorsReader.open(dir.resolve(WEIGHTS));
        } catch (UserError e) {
            throw new UserError(WEIGHTS + ": " + e.getMessage(), e);
        }
        String prefix = st.names().stream().anyMatch(k -> k.startsWith("diffusion.unet._orig_mod.")) ? "diffusion.unet._orig_mod." : "diffusion.unet.";
        UnetWeights.Source src = new UnetWeights.Source() {
            @Override public long[] shape(String key) {
                return st.contains(key) ? st.entry(key).shape() : null;
            }

            @Override public float[] floats(String key) {
                return st.floats(key);
            }
        };
        TensorStore model = UnetWeights.convert(unet, horizon, src, k -> prefix + upstreamKey(k), WEIGHTS);
        List<String> used = new ArrayList<>(UnetWeights.keys(unet, horizon, k -> prefix + upstreamKey(k)));

        Map<String, Object> source = new LinkedHashMap<>();
        DatasetNormalizer norm = normalizer(dir, c, st, obs, actionDim, used, source);
        rejectUnusedKeys(st, used);

        source.put("weights", "model");
        source.put("policy", "lerobot diffusion");
        source.put("obs_features", new ArrayList<>(obs.keySet()));
        source.put("num_inference_steps", c.path("num_inference_steps").isNumber() ? c.get("num_inference_steps").asInt() : null);
        source.put("upstream_keys", used);
        String repo = c.path("repo_id").asText("");
        String task = repo.isEmpty() || c.get("repo_id").isNull() ? "lerobot" : DiffusionPolicyImporter.sanitize("lerobot_" + repo);
        NoiseScheduler sched = new NoiseScheduler(c.path("noise_scheduler_type").asText("DDPM"), c.path("num_train_timesteps").asInt(100),
                c.path("beta_schedule").asText("squaredcos_cap_v2"), c.path("beta_start").asDouble(1e-4), c.path("beta_end").asDouble(0.02),
                c.path("clip_sample").asBoolean(true), c.path("clip_sample_range").asDouble(1.0), c.path("prediction_type").asText("epsilon"),
                "fixed_small", c.path("num_inference_steps").isNumber() ? c.get("num_inference_steps").asInt() : null);
        if (!sched.type().equals("DDPM") && !sched.type().equals("DDIM"))
            throw new UserError("unsupported noise_scheduler_type " + sched.type());
        return new ImportedPolicy(PolicyImporter.FORMAT_LEROBOT, task, unet, horizon, to, ta, obsDim, actionDim, model, null, norm, sched, 0, source);
    }

    /**
     * LeRobot's name of a native (diffusion_policy) U-Net parameter: residual blocks' {@code blocks.0/1} are
     * {@code conv1/conv2}, and the down/up-sampling convolutions are bare (no {@code .conv} wrapper).
     */
    static String upstreamKey(String nativeKey) {
        return nativeKey.replaceFirst("^((?:down|up)_modules\\.\\d+)\\.2\\.conv\\.", "$1.2.")
                .replace(".blocks.0.", ".conv1.").replace(".blocks.1.", ".conv2.");
    }

    /** Observation features in the order the U-Net's condition concatenates them: state, then environment state. */
    private static Map<String, Integer> obsFeatures(JsonNode c) {
        JsonNode in = c.get("input_features");
        if (in == null || !in.isObject() || in.isEmpty()) throw new UserError(CONFIG + " has no input_features");
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String t = f.getValue().path("type").asText();
            if (t.equals("VISUAL"))
                throw new UserError("unsupported part: image feature '" + f.getKey() + "' needs LeRobot's rgb_encoder ("
                        + c.path("vision_backbone").asText("resnet") + " + spatial softmax), which has no STEP equivalent; "
                        + "STEP imports state/environment-state diffusion policies");
            if (!(t.equals("STATE") && f.getKey().equals(STATE)) && !(t.equals("ENV") && f.getKey().equals(ENV)))
                throw new UserError("unsupported input feature '" + f.getKey() + "' of type " + t);
        }
        if (!in.has(STATE)) throw new UserError(CONFIG + " has no " + STATE + " input, which LeRobot's diffusion policy requires");
        out.put(STATE, featureDim(in.get(STATE), STATE));
        if (in.has(ENV)) out.put(ENV, featureDim(in.get(ENV), ENV));
        return out;
    }

    private static int actionDim(JsonNode c) {
        JsonNode out = c.get("output_features");
        if (out == null || !out.has(ACTION) || out.size() != 1) throw new UserError(CONFIG + ": output_features must be exactly '" + ACTION + "'");
        return featureDim(out.get(ACTION), ACTION);
    }

    private static int featureDim(JsonNode f, String name) {
        JsonNode s = f.get("shape");
        if (s == null || !s.isArray() || s.size() != 1 || s.get(0).asInt() < 1)
            throw new UserError(CONFIG + ": feature " + name + " must have a 1-D shape, got " + s);
        return s.get(0).asInt();
    }

    /**
     * The native obs normaliser (the obs features concatenated) and action normaliser. LeRobot computes MIN_MAX and
     * MEAN_STD at run time from statistics; as an affine map that is scale 2/(max-min), offset -1-2·min/(max-min)
     * (a zero range taken as eps), and 1/(std+eps), -mean/(std+eps). A feature type absent from the map is identity.
     */
    private static DatasetNormalizer normalizer(Path dir, JsonNode c, SafetensorsReader weights, Map<String, Integer> obs, int actionDim,
                                                List<String> used, Map<String, Object> source) {
        Stats obsStats, actStats;
        if (Files.isRegularFile(dir.resolve(PREPROCESSOR))) {
            obsStats = processorStats(dir, PREPROCESSOR, "normalizer_processor");
            actStats = Files.isRegularFile(dir.resolve(POSTPROCESSOR)) ? processorStats(dir, POSTPROCESSOR, "unnormalizer_processor") : obsStats;
            source.put("normaliser", List.of(dir.relativize(obsStats.file).toString(), dir.relativize(actStats.file).toString()));
        } else {
            // Releases before v0.4 kept the statistics as buffers of the policy, only for non-identity features.
            JsonNode map = c.get("normalization_mapping");
            obsStats = new Stats(weights, dir.resolve(WEIGHTS), "normalize_inputs.buffer_", true, LEGACY_EPS, map, null);
            actStats = new Stats(weights, dir.resolve(WEIGHTS), "unnormalize_outputs.buffer_", true, 0f, map, null);
            source.put("normaliser", List.of(WEIGHTS + " buffers"));
        }
        List<float[]> s = new ArrayList<>(), o = new ArrayList<>(), lo = new ArrayList<>(), hi = new ArrayList<>();
        Map<String, String> featureType = Map.of(STATE, "STATE", ENV, "ENV", ACTION, "ACTION");
        for (Map.Entry<String, Integer> f : obs.entrySet()) {
            float[][] a = obsStats.affine(f.getKey(), featureType.get(f.getKey()), f.getValue(), used);
            s.add(a[0]); o.add(a[1]); lo.add(a[2]); hi.add(a[3]);
        }
        float[][] act = actStats.affine(ACTION, "ACTION", actionDim, used);
        LinearNormalizer obsNorm = NormalizerLabels.labelled(cat(s), cat(o), cat(lo), cat(hi));
        return new DatasetNormalizer(obsNorm, NormalizerLabels.labelled(act[0], act[1], act[2], act[3]));
    }

    /** Where one direction's statistics live and how they are named. */
    private record Stats(SafetensorsReader reader, Path file, String prefix, boolean legacy, float eps, JsonNode normMap, Set<String> features) {

        /** scale, offset, min, max of one feature. */
        float[][] affine(String feature, String type, int dim, List<String> used) {
            if (features != null && !features.contains(feature))
                throw new UserError(file.getFileName() + ": the normaliser step does not list feature " + feature);
            String mode = normMap != null && normMap.has(type) ? normMap.get(type).asText() : "IDENTITY";
            String base = legacy ? prefix + feature.replace('.', '_') + "." : feature + ".";
            float[] scale = new float[dim], offset = new float[dim];
            java.util.Arrays.fill(scale, 1f);
            float[] min = optional(base + "min", dim), max = optional(base + "max", dim);
            switch (mode) {
                case "IDENTITY" -> { }
                case "MIN_MAX" -> {
                    min = required(base + "min", dim, used);
                    max = required(base + "max", dim, used);
                    for (int i = 0; i < dim; i++) {
                        float denom = max[i] - min[i];
                        if (legacy) denom += eps;              // old normalize.py: (x - min) / (max - min + 1e-8)
                        else if (denom == 0) denom = eps;      // processors: a zero range is replaced by eps
                        scale[i] = 2f / denom;
                        offset[i] = -(min[i] * scale[i]) - 1f;
                    }
                }
                case "MEAN_STD" -> {
                    float[] mean = required(base + "mean", dim, used), std = required(base + "std", dim, used);
                    for (int i = 0; i < dim; i++) {
                        scale[i] = 1f / (std[i] + (legacy ? LEGACY_EPS : eps));
                        offset[i] = -mean[i] * scale[i];
                    }
                }
                default -> throw new UserError("unsupported normalisation mode " + mode + " for " + feature);
            }
            // input_min/max are provenance (the native JSON needs arrays): zeros when the file has no such statistic
            return new float[][] {scale, offset, min != null ? min : new float[dim], max != null ? max : new float[dim]};
        }

        private float[] required(String key, int dim, List<String> used) {
            float[] v = optional(key, dim);
            if (v == null) throw new UserError(file.getFileName() + " lacks the normaliser statistic " + key);
            for (float x : v)
                if (!Float.isFinite(x)) throw new UserError(file.getFileName() + ": normaliser statistic " + key
                        + " is not finite (the policy was saved without dataset statistics)");
            used.add(key);
            return v;
        }

        private float[] optional(String key, int dim) {
            if (!reader.contains(key)) return null;
            long n = 1;
            for (long d : reader.entry(key).shape()) n *= d;
            if (n != dim) throw new UserError(file.getFileName() + ": " + key + " has " + n + " values, the feature " + dim);
            return reader.floats(key);
        }
    }

    /** The statistics of a processor pipeline's (un)normaliser step: its state file, eps, feature map and norm map. */
    private static Stats processorStats(Path dir, String pipeline, String registryName) {
        JsonNode p = json(dir.resolve(pipeline));
        for (JsonNode step : p.path("steps")) {
            if (!registryName.equals(step.path("registry_name").asText())) continue;
            JsonNode cfg = step.path("config");
            String stateFile = step.path("state_file").asText(null);
            if (stateFile == null || stateFile.contains("/") || stateFile.contains("\\"))
                throw new UserError(pipeline + ": the " + registryName + " step names no state file in this folder");
            Path file = dir.resolve(stateFile);
            if (!Files.isRegularFile(file)) throw new UserError(pipeline + " names " + stateFile + ", which is missing");
            Set<String> features = new HashSet<>();
            cfg.path("features").fieldNames().forEachRemaining(features::add);
            SafetensorsReader r;
            try {
                r = SafetensorsReader.open(file);
            } catch (UserError e) {
                throw new UserError(stateFile + ": " + e.getMessage(), e);
            }
            return new Stats(r, file, "", false, (float) cfg.path("eps").asDouble(1e-8), cfg.get("norm_map"), features);
        }
        throw new UserError(pipeline + " has no " + registryName + " step");
    }

    /** Tensors the U-Net does not read mean a part STEP would drop (an image encoder): refuse. */
    private static void rejectUnusedKeys(SafetensorsReader st, List<String> used) {
        Set<String> known = new HashSet<>(used);
        for (String k : st.names()) {
            if (known.contains(k) || k.startsWith("normalize_inputs.") || k.startsWith("normalize_targets.") || k.startsWith("unnormalize_outputs."))
                continue;
            String part = k.startsWith("diffusion.rgb_encoder") ? " (the image encoder)" : "";
            throw new UserError("unsupported part: " + WEIGHTS + " has " + k + part + ", which the U-Net of its config does not use");
        }
    }

    private static float[] cat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum(), at = 0;
        float[] out = new float[n];
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    private static List<Integer> ints(JsonNode n, List<Integer> absent) {
        if (n == null || n.isNull()) return absent;
        if (!n.isArray()) throw new UserError(CONFIG + ": down_dims must be a list");
        List<Integer> out = new ArrayList<>();
        n.forEach(v -> out.add(v.asInt()));
        return out;
    }

    private static JsonNode json(Path file) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) throw new UserError(file.getFileName() + " is not a JSON object");
            return n;
        } catch (IOException e) {
            throw new UserError(file.getFileName() + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
