package org.steppolicy.importer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
 * A diffusion_policy workspace checkpoint ({@code BaseWorkspace.save_checkpoint}: {@code torch.save({cfg,
 * state_dicts: {model, ema_model, optimizer}, pickles}, pickle_module=dill)}) of a {@code DiffusionUnetLowdimPolicy}.
 * The architecture and sampler come from {@code cfg} (resolved here), the weights from {@code state_dicts.ema_model}
 * or {@code .model} ({@code model.} + the ConditionalUnet1D key), the normaliser from
 * {@code normalizer.params_dict.{obs,action}.{scale,offset}} as stored (not refit from the stats beside them).
 */
final class DiffusionPolicyImporter {
    static final String LOWDIM_POLICY = "DiffusionUnetLowdimPolicy";
    private static final String UNET_PREFIX = "model.", NORM = "normalizer.params_dict.";
    /** Keys of the lowdim policy's state dict that hold no weights. */
    private static final Set<String> IGNORED = Set.of("_dummy_variable", "mask_generator._dummy_variable");

    private DiffusionPolicyImporter() {}

    static ImportedPolicy read(Path file, PolicyImporter.Weights weights) {
        try (TorchCheckpointReader r = TorchCheckpointReader.open(file)) {
            Map<?, ?> payload = payload(r.payload());
            @SuppressWarnings("unchecked")
            HydraConfig cfg = new HydraConfig((Map<String, Object>) OmegaNode.plain(payload.get("cfg")));
            String target = requirePolicyClass(cfg);
            if (!(payload.get("state_dicts") instanceof Map<?, ?> dicts))
                throw new UserError("not a diffusion_policy workspace checkpoint: payload has no 'state_dicts'");

            String section = weights == PolicyImporter.Weights.MODEL ? "model" : "ema_model";
            Map<String, TorchTensor> chosen = stateDict(dicts, section);
            if (chosen == null) {
                if (section.equals("ema_model"))
                    throw new UserError("has no EMA weights (state_dicts.ema_model is absent: trained with training.use_ema false); "
                            + "import the raw weights with --weights model");
                throw new UserError("has no state_dicts.model");
            }
            Map<String, TorchTensor> raw = section.equals("model") ? chosen : stateDict(dicts, "model");

            Arch a = arch(cfg);
            UnetWeights.Source src = source(r, chosen);
            TensorStore chosenWeights = UnetWeights.convert(a.unet, a.horizon, src, k -> UNET_PREFIX + k, "state_dicts." + section);
            List<String> used = new ArrayList<>(UnetWeights.keys(a.unet, a.horizon, k -> UNET_PREFIX + k));
            rejectUnusedKeys(chosen, used, section);
            TensorStore model = chosenWeights, ema = null;
            if (section.equals("ema_model")) {
                ema = chosenWeights;
                // model.tensors holds the raw weights, as in a checkpoint trained here (EMA-only files: the EMA copy)
                if (raw != null) model = UnetWeights.convert(a.unet, a.horizon, source(r, raw), k -> UNET_PREFIX + k, "state_dicts.model");
            }

            LinearNormalizer obs = normalizer(r, chosen, "obs", a.obsDim, used, section);
            LinearNormalizer action = normalizer(r, chosen, "action", a.actionDim, used, section);

            Map<String, Object> source = new LinkedHashMap<>();
            source.put("weights", section);
            source.put("policy", target);
            source.put("task", cfg.string("task.name"));
            source.put("num_inference_steps", a.scheduler.numInferenceSteps());
            source.put("upstream_keys", used);
            long step = globalStep(payload);
            String task = cfg.has("task.name") ? sanitize(cfg.string("task.name")) : "imported";
            return new ImportedPolicy(PolicyImporter.FORMAT_DP, task, a.unet, a.horizon, a.nObsSteps, a.nActionSteps, a.obsDim,
                    a.actionDim, model, ema, new DatasetNormalizer(obs, action), a.scheduler, step, source);
        }
    }

    /** The payload dict; anything else (a bare state_dict, a list, a model) is named and refused. */
    private static Map<?, ?> payload(Object p) {
        if (!(p instanceof Map<?, ?> m))
            throw new UserError("not a diffusion_policy workspace checkpoint: its pickle holds a " + pyType(p) + ", not the {cfg, state_dicts, pickles} dict");
        if (!m.containsKey("cfg") || !m.containsKey("state_dicts")) {
            boolean tensors = !m.isEmpty() && m.values().stream().allMatch(v -> v instanceof TorchTensor);
            throw new UserError("not a diffusion_policy workspace checkpoint: " + (tensors
                    ? "a bare state_dict without the cfg that describes its architecture"
                    : "a dict without 'cfg' and 'state_dicts' (keys: " + keysOf(m) + ")"));
        }
        if (!(OmegaNode.plain(m.get("cfg")) instanceof Map)) throw new UserError("not a diffusion_policy workspace checkpoint: 'cfg' is not a config");
        return m;
    }

    /** Only ConditionalUnet1D low-dim policies run here; everything else is refused by its part. */
    private static String requirePolicyClass(HydraConfig cfg) {
        String target = cfg.string("policy._target_");
        if (target == null) throw new UserError("cfg has no policy._target_, so the policy class is unknown");
        String cls = target.substring(target.lastIndexOf('.') + 1);
        if (cls.equals(LOWDIM_POLICY)) {
            String model = cfg.string("policy.model._target_");
            if (model != null && !model.endsWith("ConditionalUnet1D"))
                throw new UserError("unsupported denoiser " + model + ": STEP runs ConditionalUnet1D");
            return target;
        }
        if (cls.contains("Transformer"))
            throw new UserError("unsupported architecture: " + cls + " has a transformer denoiser (TransformerForDiffusion); "
                    + "STEP runs ConditionalUnet1D policies (" + LOWDIM_POLICY + ")");
        if (cls.contains("Image") || cls.contains("Video") || cls.contains("Timm") || cls.contains("Hybrid")) {
            String enc = cfg.has("policy.obs_encoder._target_") ? cfg.string("policy.obs_encoder._target_")
                    : cls.contains("Hybrid") ? "robomimic ObservationEncoder" : "its image encoder";
            throw new UserError("unsupported part: " + cls + " is image-conditioned and its obs_encoder (" + enc
                    + ", with the image normaliser of its params_dict) cannot be imported yet; STEP imports " + LOWDIM_POLICY);
        }
        throw new UserError("unsupported policy " + cls + ": not a Diffusion Policy U-Net (STEP imports " + LOWDIM_POLICY + ")");
    }

    private record Arch(UnetConfig unet, int horizon, int nObsSteps, int nActionSteps, int obsDim, int actionDim, NoiseScheduler scheduler) {}

    private static Arch arch(HydraConfig cfg) {
        if (cfg.bool("policy.obs_as_local_cond", false))
            throw new UserError("unsupported part: obs_as_local_cond (the U-Net's local_cond_encoder) has no STEP equivalent");
        if (cfg.bool("policy.pred_action_steps_only", false))
            throw new UserError("unsupported part: pred_action_steps_only (a U-Net over n_action_steps only)");
        if (!cfg.bool("policy.oa_step_convention", true))
            throw new UserError("unsupported part: oa_step_convention false (STEP executes actions from step n_obs_steps-1)");
        boolean global = cfg.bool("policy.obs_as_global_cond", false);
        int horizon = cfg.integer("policy.horizon"), to = cfg.integer("policy.n_obs_steps"), ta = cfg.integer("policy.n_action_steps");
        int obsDim = cfg.integer("policy.obs_dim"), actionDim = cfg.integer("policy.action_dim");
        ImportedPolicy.checkSizes(horizon, to, ta, obsDim, actionDim, "cfg policy");
        int inputDim = global ? actionDim : actionDim + obsDim, condDim = global ? obsDim * to : 0;
        String m = "policy.model.";
        // The cfg states them too; when they resolve, they must agree (they are computed from the same keys upstream).
        crossCheck(cfg, m + "input_dim", inputDim);
        crossCheck(cfg, m + "global_cond_dim", global ? condDim : null);
        UnetConfig unet;
        try {
            List<Integer> down = cfg.get(m + "down_dims") == null ? UnetConfig.DEFAULT_DOWN_DIMS : cfg.integers(m + "down_dims");
            unet = new UnetConfig(inputDim, condDim, down, intOr(cfg, m + "kernel_size", 3),
                    intOr(cfg, m + "n_groups", 8), intOr(cfg, m + "diffusion_step_embed_dim", 256), cfg.bool(m + "cond_predict_scale", false));
        } catch (IllegalArgumentException e) {
            throw new UserError("unsupported architecture: " + e.getMessage());
        }
        String s = "policy.noise_scheduler.";
        String schedClass = cfg.string(s + "_target_");
        String type = schedClass == null ? "DDPM" : schedClass.contains("DDIM") ? "DDIM" : schedClass.contains("DDPM") ? "DDPM" : schedClass;
        if (!type.equals("DDPM") && !type.equals("DDIM")) throw new UserError("unsupported noise scheduler " + schedClass);
        NoiseScheduler sched = new NoiseScheduler(type, intOr(cfg, s + "num_train_timesteps", 1000),
                strOr(cfg, s + "beta_schedule", "linear"), numOr(cfg, s + "beta_start", 1e-4), numOr(cfg, s + "beta_end", 0.02),
                cfg.bool(s + "clip_sample", true), numOr(cfg, s + "clip_sample_range", 1.0), strOr(cfg, s + "prediction_type", "epsilon"),
                strOr(cfg, s + "variance_type", "fixed_small"), cfg.integerOrNull("policy.num_inference_steps"));
        return new Arch(unet, horizon, to, ta, obsDim, actionDim, sched);
    }

    private static void crossCheck(HydraConfig cfg, String key, Integer expected) {
        if (!cfg.has(key)) return;
        Object v;
        try {
            v = cfg.get(key);
        } catch (UserError e) {
            return;   // an expression this resolver cannot evaluate: the tensors' shapes are checked instead
        }
        boolean same = v == null ? expected == null : v instanceof Number n && expected != null && n.intValue() == expected;
        if (!same) throw new UserError("cfg " + key + " is " + v + ", but its policy settings give " + expected);
    }

    private static int intOr(HydraConfig cfg, String key, int absent) {
        return cfg.get(key) == null ? absent : cfg.integer(key);
    }

    private static double numOr(HydraConfig cfg, String key, double absent) {
        return cfg.get(key) == null ? absent : cfg.number(key);
    }

    private static String strOr(HydraConfig cfg, String key, String absent) {
        return cfg.get(key) == null ? absent : cfg.string(key);
    }

    private static Map<String, TorchTensor> stateDict(Map<?, ?> dicts, String name) {
        Object d = dicts.get(name);
        if (d == null) return null;
        if (!(d instanceof Map<?, ?> m)) throw new UserError("state_dicts." + name + " is a " + pyType(d) + ", not a state dict");
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TorchTensor t))
                throw new UserError("state_dicts." + name + " entry " + e.getKey() + " is not a tensor");
            out.put(k, t);
        }
        return out;
    }

    private static UnetWeights.Source source(TorchCheckpointReader r, Map<String, TorchTensor> dict) {
        return new UnetWeights.Source() {
            @Override public long[] shape(String key) {
                TorchTensor t = dict.get(key);
                return t == null ? null : t.shape();
            }

            @Override public float[] floats(String key) {
                return r.floats(dict.get(key));
            }
        };
    }

    /** Tensors nobody reads mean a part STEP would silently drop (local conditioning, an image encoder): refuse. */
    private static void rejectUnusedKeys(Map<String, TorchTensor> dict, List<String> used, String section) {
        Set<String> known = new HashSet<>(used);
        for (String k : dict.keySet()) {
            if (known.contains(k) || IGNORED.contains(k) || k.startsWith(NORM)) continue;
            String part = k.startsWith("model.local_cond_encoder") ? " (local conditioning)"
                    : k.startsWith("obs_encoder.") ? " (an image encoder)" : "";
            throw new UserError("unsupported part: state_dicts." + section + " has " + k + part + ", which the U-Net of its cfg does not use");
        }
    }

    private static LinearNormalizer normalizer(TorchCheckpointReader r, Map<String, TorchTensor> dict, String field, int dim,
                                               List<String> used, String section) {
        String p = NORM + field + ".";
        float[] scale = vector(r, dict, p + "scale", dim, section), offset = vector(r, dict, p + "offset", dim, section);
        used.add(p + "scale");
        used.add(p + "offset");
        float[] min = null, max = null;
        if (dict.containsKey(p + "input_stats.min") && dict.containsKey(p + "input_stats.max")) {
            min = vector(r, dict, p + "input_stats.min", dim, section);
            max = vector(r, dict, p + "input_stats.max", dim, section);
            used.add(p + "input_stats.min");
            used.add(p + "input_stats.max");
        }
        return NormalizerLabels.labelled(scale, offset, min, max);
    }

    private static float[] vector(TorchCheckpointReader r, Map<String, TorchTensor> dict, String key, int dim, String section) {
        TorchTensor t = dict.get(key);
        if (t == null) throw new UserError("state_dicts." + section + " lacks the normaliser tensor " + key);
        if (t.numel() != dim) throw new UserError("state_dicts." + section + " " + key + " has shape " + t + ", the cfg's dim is " + dim);
        return r.floats(t);
    }

    /** {@code pickles.global_step} is itself a small pickle; unreadable means 0, it is only provenance. */
    private static long globalStep(Map<?, ?> payload) {
        if (payload.get("pickles") instanceof Map<?, ?> p && p.get("global_step") instanceof byte[] b) {
            try {
                if (SafeUnpickler.load(b) instanceof Number n) return n.longValue();
            } catch (UserError ignored) {
                // provenance only
            }
        }
        return 0;
    }

    static String sanitize(String s) {
        String t = s.replaceAll("[^A-Za-z0-9_.-]", "_");
        return t.isEmpty() ? "imported" : t;
    }

    private static String keysOf(Map<?, ?> m) {
        List<String> k = m.keySet().stream().map(String::valueOf).limit(5).toList();
        return String.join(", ", k) + (m.size() > 5 ? ", ..." : "");
    }

    static String pyType(Object o) {
        if (o == null) return "None";
        if (o instanceof List<?> || o instanceof Object[]) return "list/tuple";
        if (o instanceof TorchTensor) return "tensor";
        if (o instanceof String) return "str";
        if (o instanceof Number) return "number";
        return o.getClass().getSimpleName();
    }
}
