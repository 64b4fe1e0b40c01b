package org.steppolicy.sweep;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
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
import org.steppolicy.infer.MethodSpec;

/**
 * What a sweep evaluates (docs/sweep.md, "The grid"): every policy with every method is a cell, and every cell runs
 * every seed block. Read from YAML; every problem is a one-line {@link UserError} naming the file and the entry.
 */
public record SweepGrid(Path file, String text, List<Policy> policies, List<Method> methods, List<SeedBlock> seeds) {

    /** A checkpoint or run folder (with predictor checkpoints) or an export-onnx folder, under a short name. */
    public record Policy(String name, Path path, List<Path> predictors) {
        public Policy {
            predictors = List.copyOf(predictors);
        }
    }

    /** A method spec (e.g. step:2:fine) with {@code inference.*} overrides, shown under {@code label}. */
    public record Method(String label, MethodSpec spec, Map<String, String> inference) {
        public Method {
            inference = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inference));
        }

        /** The overrides as config arguments: inference.KEY=VALUE. */
        public List<String> overrides() {
            return inference.entrySet().stream().map(e -> "inference." + e.getKey() + "=" + e.getValue()).toList();
        }
    }

    /** Episodes with seeds seed .. seed+episodes-1, as {@code step eval --seed S --episodes N} runs them. */
    public record SeedBlock(long seed, int episodes) {}

    public SweepGrid {
        policies = List.copyOf(policies);
        methods = List.copyOf(methods);
        seeds = List.copyOf(seeds);
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));

    /** The cells, policy-major (every method of the first policy, then the second's, ...). */
    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>();
        for (Policy p : policies)
            for (Method m : methods) out.add(new Cell(out.size(), p, m, policies.size() > 1 ? m.label() + " @ " + p.name() : m.label()));
        return out;
    }

    /** One policy with one method, shown as {@code label} in the table, results and plot. */
    public record Cell(int index, Policy policy, Method method, String label) {}

    public int episodesPerCell() {
        return seeds.stream().mapToInt(SeedBlock::episodes).sum();
    }

    public static SweepGrid read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the grid (" + e.getMessage() + ")");
        }
        return parse(file, text);
    }

    static SweepGrid parse(Path file, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new UserError(file + ": not valid YAML (" + firstLine(e.getMessage()) + ")");
        }
        if (root == null || !root.isObject()) throw new UserError(file + ": a grid is a YAML mapping with policies, methods and seeds");
        keys(file, "the grid", root, Set.of("policies", "methods", "seeds"));
        List<Policy> policies = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode n : list(file, root, "policies")) {
            String at = "policies[" + policies.size() + "]";
            Policy p = policy(file, at, n);
            if (!names.add(p.name())) throw new UserError(file + ": " + at + ": a second policy named '" + p.name() + "' (give each a distinct name:)");
            policies.add(p);
        }
        List<Method> methods = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (JsonNode n : list(file, root, "methods")) {
            String at = "methods[" + methods.size() + "]";
            Method m = method(file, at, n);
            if (!labels.add(m.label())) throw new UserError(file + ": " + at + ": a second method labelled '" + m.label() + "' (give it a distinct label:)");
            methods.add(m);
        }
        List<SeedBlock> seeds = new ArrayList<>();
        for (JsonNode n : list(file, root, "seeds")) {
            String at = "seeds[" + seeds.size() + "]";
            if (!n.isObject()) throw new UserError(file + ": " + at + ": a seed block is {seed: S, episodes: N}");
            keys(file, at, n, Set.of("seed", "episodes"));
            long seed = integer(file, at + ".seed", n.get("seed"), 0, Long.MAX_VALUE / 2);
            int episodes = (int) integer(file, at + ".episodes", n.get("episodes"), 1, 1_000_000);
            for (SeedBlock b : seeds)
                if (seed < b.seed() + b.episodes() && b.seed() < seed + episodes)
                    throw new UserError(file + ": " + at + ": seeds " + seed + ".." + (seed + episodes - 1) + " overlap another block's ("
                            + b.seed() + ".." + (b.seed() + b.episodes() - 1) + "); each episode seed once");
            seeds.add(new SeedBlock(seed, episodes));
        }
        return new SweepGrid(file, text, policies, methods, seeds);
    }

    private static Policy policy(Path file, String at, JsonNode n) {
        if (n.isTextual()) return new Policy(Path.of(n.asText()).getFileName().toString(), Path.of(n.asText()), List.of());
        if (!n.isObject()) throw new UserError(file + ": " + at + ": a policy is a folder path or {path: DIR, name: N, predictors: [DIR, ...]}");
        keys(file, at, n, Set.of("path", "name", "predictors"));
        Path path = Path.of(text(file, at + ".path", n.get("path")));
        String name = n.has("name") ? text(file, at + ".name", n.get("name")) : path.getFileName().toString();
        List<Path> preds = new ArrayList<>();
        if (n.has("predictors")) {
            JsonNode ps = n.get("predictors");
            if (!ps.isArray()) throw new UserError(file + ": " + at + ".predictors: a list of predictor checkpoint folders");
            for (JsonNode p : ps) preds.add(Path.of(text(file, at + ".predictors[" + preds.size() + "]", p)));
        }
        return new Policy(name, path, preds);
    }

    private static Method method(Path file, String at, JsonNode n) {
        if (n.isTextual()) {
            MethodSpec spec = spec(file, at, n.asText());
            return new Method(spec.label(), spec, Map.of());
        }
        if (!n.isObject()) throw new UserError(file + ": " + at + ": a method is a spec (step:2) or {method: SPEC, label: L, inference: {KEY: VALUE}}");
        keys(file, at, n, Set.of("method", "label", "inference"));
        MethodSpec spec = spec(file, at + ".method", text(file, at + ".method", n.get("method")));
        Map<String, String> inference = new LinkedHashMap<>();
        if (n.has("inference")) {
            JsonNode inf = n.get("inference");
            if (!inf.isObject()) throw new UserError(file + ": " + at + ".inference: a mapping of inference keys, e.g. {eps_a: 0.02}");
            for (Iterator<Map.Entry<String, JsonNode>> it = inf.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().isValueNode())
                    throw new UserError(file + ": " + at + ".inference." + e.getKey() + ": a single value");
                inference.put(e.getKey(), e.getValue().isNull() ? "null" : e.getValue().asText());
            }
        }
        String label = n.has("label") ? text(file, at + ".label", n.get("label")) : spec.label() + inference.entrySet().stream()
                .map(e -> " " + e.getKey() + "=" + e.getValue()).reduce("", String::concat);
        return new Method(label, spec, inference);
    }

    private static MethodSpec spec(Path file, String at, String text) {
        try {
            return MethodSpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + at + ": " + e.getMessage());
        }
    }

    private static List<JsonNode> list(Path file, JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isArray() || n.isEmpty()) throw new UserError(file + ": '" + key + "' must be a non-empty list (docs/sweep.md, \"The grid\")");
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    private static void keys(Path file, String at, JsonNode n, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k))
                throw new UserError(file + ": " + at + ": unknown key '" + k + "' (expected " + String.join(", ", allowed.stream().sorted().toList()) + ")");
        }
    }

    private static String text(Path file, String at, JsonNode n) {
        if (n == null || !n.isValueNode() || n.isNull() || n.asText().isBlank()) throw new UserError(file + ": " + at + ": missing (a non-empty value)");
        return n.asText();
    }

    private static long integer(Path file, String at, JsonNode n, long min, long max) {
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber()) throw new UserError(file + ": " + at + ": an integer is needed");
        long v = n.asLong();
        if (v < min || v > max) throw new UserError(file + ": " + at + ": " + v + " is out of range [" + min + ", " + max + "]");
        return v;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
