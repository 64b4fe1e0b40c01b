package org.steppolicy.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Loads a task config: the built-in defaults (every valid key), then the YAML file (which may name a file it
 * {@code extends}), then Hydra-style {@code key=value} overrides. Unknown keys fail with the closest valid key.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            // A key given twice would otherwise keep the last value silently.
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION))
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
    private static final String EXTENDS = "extends";
    /**
     * Keys that were removed, with what to write instead. A null value (what the config.yaml of older run folders
     * holds) is dropped; any other value is refused with that line.
     */
    private static final Map<String, String> REMOVED = Map.of(
            "inference.warm_start_step", "K' is the method spec's step count (its network calls): write step:4:fine"
                    + " instead of step:2:fine with inference.warm_start_step=4");

    private ConfigLoader() {}

    /** The defaults alone (Push-T low-dim), with overrides. */
    public static StepConfig defaults(List<String> overrides) {
        ObjectNode tree = defaultTree();
        for (String o : overrides) applyOverride(tree, o);
        return bind(tree, new StepConfig.Provenance("<defaults>", List.copyOf(overrides)));
    }

    /** {@code file} as given, else from the project's configs/ ({@link ConfigLocator}). */
    public static StepConfig load(Path given, List<String> overrides) {
        Path file = ConfigLocator.locate(given);
        ObjectNode tree = defaultTree();
        mergeFile(tree, file, new ArrayList<>());
        for (String o : overrides) applyOverride(tree, o);
        return bind(tree, new StepConfig.Provenance(file.toString(), List.copyOf(overrides)));
    }

    static StepConfig withOverrides(StepConfig base, List<String> overrides) {
        ObjectNode tree = base.tree().deepCopy();
        for (String o : overrides) applyOverride(tree, o);
        List<String> all = new ArrayList<>(base.provenance().overrides());
        all.addAll(overrides);
        return bind(tree, new StepConfig.Provenance(base.provenance().file(), all));
    }

    /** The resolved configuration as YAML, with where it came from. */
    static String toYaml(StepConfig c) {
        ObjectNode out = c.tree().deepCopy();
        ObjectNode prov = out.putObject("provenance");
        prov.put("file", c.provenance().file());
        prov.putPOJO("overrides", c.provenance().overrides());
        try {
            return YAML.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a resolved config written by {@link StepConfig#toYaml()} (e.g. from a checkpoint). */
    public static StepConfig fromResolvedYaml(String yaml, String origin) {
        ObjectNode tree = defaultTree();
        JsonNode node = parse(yaml, origin);
        StepConfig.Provenance provenance = new StepConfig.Provenance(origin, List.of());
        if (node instanceof ObjectNode obj) {
            // A run's config keeps saying where it came from (the file and overrides it was first resolved from).
            JsonNode written = obj.remove("provenance");
            if (written != null && written.path("file").isTextual()) {
                List<String> overrides = new ArrayList<>();
                for (JsonNode o : written.path("overrides")) overrides.add(o.asText());
                provenance = new StepConfig.Provenance(written.get("file").asText(), overrides);
            }
            merge(tree, obj, "", origin);
        }
        return bind(tree, provenance);
    }

    private static ObjectNode defaultTree() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("defaults.yaml")) {
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mergeFile(ObjectNode tree, Path file, List<Path> chain) {
        Path norm = file.toAbsolutePath().normalize();
        if (chain.contains(norm)) {
            List<String> names = new ArrayList<>();
            for (Path p : chain.subList(chain.indexOf(norm), chain.size())) names.add(p.getFileName().toString());
            names.add(norm.getFileName().toString());
            throw new UserError(file + ": 'extends' forms a cycle: " + String.join(" -> ", names));
        }
        if (chain.size() > 8) throw new UserError(file + ": 'extends' nests too deeply (more than 8 files)");
        if (Files.isDirectory(file)) throw new UserError(file + ": is a folder, not a config file");
        if (!Files.isRegularFile(file)) throw new UserError(file + ": no such config file");
        chain.add(norm);
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
        JsonNode node = parse(text, file.toString());
        if (node == null || node.isNull() || node.isMissingNode()) return;
        if (!(node instanceof ObjectNode obj)) throw new UserError(file + ": expected a mapping of sections at the top");
        JsonNode parent = obj.remove(EXTENDS);
        if (parent != null) {
            Path p = file.toAbsolutePath().getParent().resolve(parent.asText());
            mergeFile(tree, p, chain);
        }
        merge(tree, obj, "", file.toString());
    }

    private static JsonNode parse(String text, String origin) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            String why = String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " ").trim()
                    .replaceFirst("^Duplicate field ('[^']*')", "duplicate key $1");
            throw new UserError(origin + ": invalid YAML" + where + ": " + why);
        }
    }

    private static void merge(ObjectNode base, ObjectNode over, String prefix, String origin) {
        Iterator<Map.Entry<String, JsonNode>> it = over.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            JsonNode current = base.get(e.getKey());
            if (current == null) {
                if (removed(key, e.getValue(), origin)) continue;
                throw unknownKey(origin, key);
            }
            if (current.isObject()) {
                if (!e.getValue().isObject()) throw new UserError(origin + ": '" + key + "' is a section; expected a mapping");
                merge((ObjectNode) current, (ObjectNode) e.getValue(), key + ".", origin);
            } else {
                base.set(e.getKey(), coerce(current, e.getValue(), key, origin));
            }
        }
    }

    /** Applies one {@code a.b=value} override; the value is read as YAML and coerced to the default's type. */
    static void applyOverride(ObjectNode tree, String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) throw new UserError("override '" + assignment + "': expected key=value");
        String key = assignment.substring(0, eq).trim();
        String raw = assignment.substring(eq + 1).trim();
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = node.get(parts[i]);
            if (next == null || !next.isObject()) throw unknownKey("override", key);
            node = (ObjectNode) next;
        }
        String leaf = parts[parts.length - 1];
        JsonNode current = node.get(leaf);
        if (current == null && REMOVED.containsKey(key)) {
            JsonNode value = raw.isEmpty() ? NullNode.instance : parse(raw, "override '" + key + "'");
            if (removed(key, value == null ? NullNode.instance : value, "override")) return;
        }
        if (current == null) throw unknownKey("override", key);
        if (current.isObject()) throw new UserError("override '" + key + "': is a section; name one of its keys");
        JsonNode value = raw.isEmpty() ? JsonNodeFactory.instance.textNode("") : parse(raw, "override '" + key + "'");
        node.set(leaf, coerce(current, value == null ? NullNode.instance : value, key, "override"));
    }

    /** Numbers like 1e-4 read as text in YAML 1.1; coerce by the default's type so overrides behave. */
    private static JsonNode coerce(JsonNode current, JsonNode value, String key, String origin) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value.isNull()) return value;
        if (current.isNumber() && value.isTextual()) {
            try {
                double d = Double.parseDouble(value.asText());
                return current.isIntegralNumber() && d == Math.rint(d) ? f.numberNode((long) d) : f.numberNode(d);
            } catch (NumberFormatException ex) {
                throw new UserError(origin + ": '" + key + "' must be a number, got '" + value.asText() + "'");
            }
        }
        if (current.isNumber() && !value.isNumber())
            throw new UserError(origin + ": '" + key + "' must be a number, got '" + value + "'");
        if (current.isBoolean() && !value.isBoolean())
            throw new UserError(origin + ": '" + key + "' must be true or false, got '" + value.asText() + "'");
        if (current.isArray() && !value.isArray())
            throw new UserError(origin + ": '" + key + "' must be a list like [1, 2], got '" + value.asText() + "'");
        if (current.isTextual() && !value.isTextual()) return f.textNode(value.asText());
        if (current.isNull() && value.isTextual()) {
            try {
                double d = Double.parseDouble(value.asText());
                return d == Math.rint(d) ? f.numberNode((long) d) : f.numberNode(d);
            } catch (NumberFormatException ignored) {
                return value;
            }
        }
        return value;
    }

    /** True for a removed key given as null (to be dropped); a UserError for one given a value; false otherwise. */
    private static boolean removed(String key, JsonNode value, String origin) {
        String instead = REMOVED.get(key);
        if (instead == null) return false;
        if (value.isNull()) return true;
        throw new UserError(origin + ": '" + key + "' was removed; " + instead);
    }

    private static UserError unknownKey(String origin, String key) {
        List<String> valid = new ArrayList<>();
        collectKeys(defaultTree(), "", valid);
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String v : valid) {
            int d = Math.min(distance(key, v), distance(leaf(key), leaf(v)) + 1);
            if (d < bestD) { bestD = d; best = v; }
        }
        return new UserError(origin + ": unknown key '" + key + "'" + (best == null ? "" : "; did you mean '" + best + "'?"));
    }

    private static String leaf(String key) { return key.substring(key.lastIndexOf('.') + 1); }

    private static void collectKeys(JsonNode node, String prefix, List<String> out) {
        node.fields().forEachRemaining(e -> {
            String k = prefix + e.getKey();
            if (e.getValue().isObject()) collectKeys(e.getValue(), k + ".", out);
            else out.add(k);
        });
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    private static StepConfig bind(ObjectNode tree, StepConfig.Provenance provenance) {
        ConfigValidator.check(tree);
        return new StepConfig(
                section(tree, "task", TaskConfig.class),
                section(tree, "policy", PolicyConfig.class),
                section(tree, "training", TrainingConfig.class),
                section(tree, "predictor", PredictorConfig.class),
                section(tree, "predictor_training", TrainingConfig.class),
                section(tree, "bridger", BridgerConfig.class),
                section(tree, "bridger_training", TrainingConfig.class),
                section(tree, "inference", InferenceConfig.class),
                section(tree, "eval", EvalConfig.class),
                provenance, tree);
    }

    private static <T> T section(ObjectNode tree, String name, Class<T> type) {
        try {
            return YAML.treeToValue(tree.get(name), type);
        } catch (JsonProcessingException e) {
            throw new UserError("config section '" + name + "': " + String.valueOf(e.getOriginalMessage()).replaceAll("\\s+", " "));
        }
    }
}
