package org.steppolicy.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The allowed range of every configuration key, checked on the merged tree when a config is resolved: before any
 * run writes a file, and by {@code step config} too. A value out of range is a {@link UserError} naming the key, the
 * value and what is allowed. Checking the tree (not the bound records) catches integers given as 1.5, which Jackson
 * would otherwise truncate to 1.
 */
public final class ConfigValidator {

    /** One key's rule: a description of what is allowed, and the test. */
    private record Rule(String allowed, boolean nullable, java.util.function.Predicate<JsonNode> ok) {}

    private static final Map<String, Rule> RULES = new LinkedHashMap<>();
    private static final List<String> TRAINING_SECTIONS = List.of("training", "predictor_training", "bridger_training");

    static {
        // task
        any("task.name", "task.dataset", "task.obs_keys", "task.split_seed", "task.image_key");
        integer("task.obs_dim", 1, SizeLimits.MAX_DIM);
        integer("task.action_dim", 1, SizeLimits.MAX_DIM);
        integer("task.horizon", 1, SizeLimits.MAX_STEPS);
        integer("task.n_obs_steps", 1, SizeLimits.MAX_STEPS);
        integer("task.n_action_steps", 1, SizeLimits.MAX_STEPS);
        oneOf("task.obs_normalizer", "limits", "global_scale", "identity", "abs_position");
        oneOf("task.action_normalizer", "limits", "global_scale", "identity", "abs_position");
        any("task.abs_action", "task.use_file_masks");
        number("task.val_ratio", 0, true, 1, false);
        nullableInteger("task.max_train_episodes", 1);
        oneOf("task.env", "pusht", "none");
        integer("task.eval_max_steps", 1);
        intList("task.crop_shape", 2, 1);
        oneOf("task.outliers", "warn", "refuse");
        number("task.outlier_k", 1, true, Double.POSITIVE_INFINITY, false);
        // policy
        any("policy.obs_as_global_cond", "policy.cond_predict_scale", "policy.clip_sample");
        intList("policy.down_dims", -1, 1, SizeLimits.MAX_CHANNELS);
        rule("policy.kernel_size", "an odd integer in [1, 63]", false, n -> isInt(n) && n.asLong() >= 1 && n.asLong() <= 63 && n.asLong() % 2 == 1);
        integer("policy.n_groups", 1, SizeLimits.MAX_CHANNELS);
        rule("policy.diffusion_step_embed_dim", "an even integer in [4, " + SizeLimits.MAX_CHANNELS + "]", false,
                n -> isInt(n) && n.asLong() >= 4 && n.asLong() <= SizeLimits.MAX_CHANNELS && n.asLong() % 2 == 0);
        integer("policy.num_train_timesteps", 1, SizeLimits.MAX_TIMESTEPS);
        oneOf("policy.beta_schedule", "squaredcos_cap_v2");
        oneOf("policy.prediction_type", "epsilon");
        oneOf("policy.obs_encoder", "resnet18_gn", "small_conv");
        integer("policy.obs_feature_dim", 1);
        oneOf("policy.image_pool", "avg", "spatial_softmax");
        integer("policy.spatial_softmax_keypoints", 1, SizeLimits.MAX_CHANNELS);
        // predictor
        oneOf("predictor.kind", "step", "spatial");
        rule("predictor.d_model", "an even integer >= 2", false, n -> isInt(n) && n.asLong() >= 2 && n.asLong() % 2 == 0);
        integer("predictor.n_heads", 1);
        integer("predictor.dim_feedforward", 1);
        number("predictor.dropout", 0, true, 1, false);
        integer("predictor.encoder_layers", 0);
        integer("predictor.blocks", 1);
        integer("predictor.image_feature_dim", 1);
        // bridger
        oneOf("bridger.source", "gaussian", "cvae");
        integer("bridger.cvae_latent_dim", 2, SizeLimits.MAX_DIM);   // 1 fails in ND4J M2.1 (CvaeArch)
        intList("bridger.cvae_hidden", -1, 1, SizeLimits.MAX_CHANNELS);
        number("bridger.cvae_beta", 0, true, Double.POSITIVE_INFINITY, false);
        integer("bridger.source_steps", 1);
        oneOf("bridger.interpolant", "linear", "power3", "power4");
        number("bridger.noise_scale", 0, true, 10, true);
        // training, predictor_training and bridger_training share one shape
        for (String s : TRAINING_SECTIONS) {
            any(s + ".seed", s + ".ema_enabled");
            integer(s + ".batch_size", 1);
            number(s + ".lr", 0, false, Double.POSITIVE_INFINITY, false);
            rule(s + ".betas", "a list of two numbers in [0, 1)", false, n -> n.isArray() && n.size() == 2
                    && inRange(n.get(0), 0, true, 1, false) && inRange(n.get(1), 0, true, 1, false));
            number(s + ".eps", 0, false, Double.POSITIVE_INFINITY, false);
            number(s + ".weight_decay", 0, true, Double.POSITIVE_INFINITY, false);
            integer(s + ".warmup_steps", 0);
            integer(s + ".num_epochs", 1);
            nullableInteger(s + ".max_steps", 1);
            rule(s + ".max_minutes", "null or a number > 0", true, n -> inRange(n, 0, false, Double.POSITIVE_INFINITY, false));
            number(s + ".ema_power", 0, false, Double.POSITIVE_INFINITY, false);
            number(s + ".ema_inv_gamma", 0, false, Double.POSITIVE_INFINITY, false);
            number(s + ".ema_min", 0, true, 1, true);
            number(s + ".ema_max", 0, true, 1, true);
            integer(s + ".ema_update_after_step", 0);
            integer(s + ".val_every", 1);
            integer(s + ".checkpoint_every", 1);
            integer(s + ".keep_last", 1);
            integer(s + ".log_every", 1);
        }
        // inference
        oneOf("inference.runtime", "onnx", "samediff");
        integer("inference.threads", 1);
        any("inference.seed", "inference.perturbation", "inference.clip_sample");
        oneOf("inference.warm_start_mode", "strided", "fine");
        number("inference.sigma", 0, true, Double.POSITIVE_INFINITY, false);
        number("inference.sigma_t", 0, true, Double.POSITIVE_INFINITY, false);
        oneOf("inference.warm_start_solver", "ddpm", "ddim", "dpmsolver");
        oneOf("inference.cold_start_solver", "ddpm", "ddim", "dpmsolver");
        integer("inference.cold_start_steps", 0); // 0 = the whole chain (defaults.yaml), the default since StepPolicy
        number("inference.eps_a", 0, true, Double.POSITIVE_INFINITY, false);
        number("inference.sigma_scale", 0, true, Double.POSITIVE_INFINITY, false);
        number("inference.sigma_stall", 0, true, Double.POSITIVE_INFINITY, false);
        oneOf("inference.falcon_solver", "ddim", "dpmsolver");
        number("inference.falcon_eps", 0, false, Double.POSITIVE_INFINITY, false);
        number("inference.falcon_delta", 0, true, 1, true);
        number("inference.falcon_temperature", 0, false, Double.POSITIVE_INFINITY, false);
        integer("inference.falcon_k_min", 0);
        integer("inference.falcon_buffer", 1);
        oneOf("inference.falcon_align", "shift", "none");
        oneOf("inference.bridger_sampler", "sde", "ode", "reference");
        oneOf("inference.bridger_time_grid", "end", "mid");
        // eval (methods are parsed where the method grammar lives, step-infer's MethodSpec)
        any("eval.methods", "eval.seed");
        integer("eval.episodes", 1);
        integer("eval.threads", 1);
        integer("eval.videos", 0);
    }

    private ConfigValidator() {}

    /** The keys that have a rule (a test checks that every key of defaults.yaml has one). */
    static Set<String> keys() {
        return Collections.unmodifiableSet(RULES.keySet());
    }

    /** Checks every key's range, then the relations between keys; the first problem is thrown. */
    public static void check(ObjectNode tree) {
        for (Map.Entry<String, Rule> e : RULES.entrySet()) {
            JsonNode n = at(tree, e.getKey());
            if (n == null) continue;                       // unknown keys were refused while merging
            Rule r = e.getValue();
            boolean ok = n.isNull() ? r.nullable() : r.ok().test(n);
            if (!ok) throw new UserError("config: " + e.getKey() + " = " + show(n) + " is not allowed (allowed: " + r.allowed() + ")");
        }
        long horizon = at(tree, "task.horizon").asLong(), to = at(tree, "task.n_obs_steps").asLong(),
                ta = at(tree, "task.n_action_steps").asLong();
        if (to > horizon) relation("task.n_obs_steps = " + to + " exceeds task.horizon = " + horizon);
        // The executed actions start at the last observed step (index To-1) and must fit in the chunk.
        if (to - 1 + ta > horizon)
            relation("task.n_obs_steps - 1 + task.n_action_steps = " + (to - 1 + ta) + " exceeds task.horizon = " + horizon);
        long groups = at(tree, "policy.n_groups").asLong();
        for (JsonNode d : at(tree, "policy.down_dims"))
            if (d.asLong() % groups != 0) relation("policy.down_dims entry " + d.asLong() + " is not divisible by policy.n_groups = " + groups);
        long dModel = at(tree, "predictor.d_model").asLong(), heads = at(tree, "predictor.n_heads").asLong();
        if (dModel % heads != 0) relation("predictor.d_model = " + dModel + " is not divisible by predictor.n_heads = " + heads);
        for (String s : TRAINING_SECTIONS) {
            double min = at(tree, s + ".ema_min").asDouble(), max = at(tree, s + ".ema_max").asDouble();
            if (min > max) relation(s + ".ema_min = " + min + " exceeds " + s + ".ema_max = " + max);
        }
    }

    private static void relation(String what) {
        throw new UserError("config: " + what);
    }

    private static JsonNode at(ObjectNode tree, String key) {
        JsonNode n = tree;
        for (String part : key.split("\\.")) {
            if (n == null) return null;
            n = n.get(part);
        }
        return n;
    }

    private static String show(JsonNode n) {
        return n.isTextual() ? "'" + n.asText() + "'" : n.toString();
    }

    private static boolean isInt(JsonNode n) {
        // 2.0 is accepted as 2; 1.5 is not an integer.
        return n.isIntegralNumber() || (n.isNumber() && n.asDouble() == Math.rint(n.asDouble()) && Double.isFinite(n.asDouble()));
    }

    private static boolean inRange(JsonNode n, double lo, boolean loIn, double hi, boolean hiIn) {
        if (n == null || !n.isNumber()) return false;
        double v = n.asDouble();
        return Double.isFinite(v) && (loIn ? v >= lo : v > lo) && (hiIn ? v <= hi : v < hi);
    }

    private static void rule(String key, String allowed, boolean nullable, java.util.function.Predicate<JsonNode> ok) {
        RULES.put(key, new Rule(allowed, nullable, ok));
    }

    private static void any(String... keys) {
        for (String k : keys) rule(k, "anything", true, n -> true);
    }

    private static void integer(String key, long min) {
        rule(key, "an integer >= " + min, false, n -> isInt(n) && n.asLong() >= min);
    }

    private static void integer(String key, long min, long max) {
        rule(key, "an integer in [" + min + ", " + max + "]", false, n -> isInt(n) && n.asLong() >= min && n.asLong() <= max);
    }

    private static void nullableInteger(String key, long min) {
        rule(key, "null or an integer >= " + min, true, n -> isInt(n) && n.asLong() >= min);
    }

    private static void number(String key, double lo, boolean loIn, double hi, boolean hiIn) {
        String range = Double.isInfinite(hi) ? "a number " + (loIn ? ">= " : "> ") + fmt(lo)
                : "a number in " + (loIn ? "[" : "(") + fmt(lo) + ", " + fmt(hi) + (hiIn ? "]" : ")");
        rule(key, range, false, n -> inRange(n, lo, loIn, hi, hiIn));
    }

    private static void oneOf(String key, String... values) {
        List<String> allowed = List.of(values);
        rule(key, "one of " + String.join(", ", allowed), false, n -> n.isTextual() && allowed.contains(n.asText()));
    }

    /** A list of integers >= min; {@code size} -1 for any non-empty length. */
    private static void intList(String key, int size, long min) {
        intList(key, size, min, Long.MAX_VALUE);
    }

    private static void intList(String key, int size, long min, long max) {
        String what = (size < 0 ? "a non-empty list (at most " + SizeLimits.MAX_LEVELS + ")" : "a list of " + size) + " of integers >= " + min
                + (max == Long.MAX_VALUE ? "" : " and <= " + max);
        rule(key, what, false, n -> {
            if (!n.isArray() || n.isEmpty() || n.size() > SizeLimits.MAX_LEVELS || (size >= 0 && n.size() != size)) return false;
            List<JsonNode> items = new ArrayList<>();
            n.forEach(items::add);
            return items.stream().allMatch(x -> isInt(x) && x.asLong() >= min && x.asLong() <= max);
        });
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
