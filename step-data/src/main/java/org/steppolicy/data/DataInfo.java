package org.steppolicy.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.steppolicy.config.UserError;

/** The report of {@code step data info FILE}: demos, steps, episode lengths, keys, masks, env_args. */
public final class DataInfo {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DataInfo() { }

    /** One key of a demo: its path under the demo, per-step shape and dtype, and how many demos have it. */
    public record KeyInfo(String key, int[] stepShape, String dtype, String storage, int demos) { }

    /** Everything the report prints, for tests and other callers. */
    /** @param checks the {@link DataValidator} report over actions and every low-dim obs key */
    public record Summary(Path file, List<String> demos, long totalSteps, int minLength, double meanLength,
                          int maxLength, List<KeyInfo> keys, Map<String, List<String>> masks, String envArgs,
                          DataValidator.Report checks) { }

    public static Summary summarize(Path file) {
        return summarize(file, DataValidator.DEFAULT_K);
    }

    /** @param outlierK task.outlier_k of the {@link DataValidator} check */
    public static Summary summarize(Path file, double outlierK) {
        try {
            return read(file, outlierK);
        } catch (RuntimeException e) {
            // What jhdf throws on metadata it cannot parse is a property of the file, reported as such.
            if (e instanceof UserError || !DemoFile.isJhdfFailure(e)) throw e;
            throw new DataFileException(file, null, "cannot read (truncated or corrupt file?): " + e, e);
        }
    }

    private static Summary read(Path file, double outlierK) {
        Summary summary;
        List<String> structureKeys;
        try (DemoFile f = DemoFile.open(file)) {
            List<String> demos = f.demoNames();
            long total = 0;
            int min = Integer.MAX_VALUE, max = 0;
            Map<String, KeyInfo> keys = new LinkedHashMap<>();
            DataValidator validator = new DataValidator(outlierK);
            for (String demo : demos) {
                Dataset actions = f.actionsDataset(demo);
                int[] dims = actions.getDimensions();
                int n = dims.length == 0 ? 0 : dims[0];
                if (n == 0) throw new DataFileException(file, DemoFile.demoPath(demo), "empty demo (0 steps in actions)");
                total += n;
                min = Math.min(min, n);
                max = Math.max(max, n);
                String where = DemoFile.demoPath(demo);
                guarded(file, where, () -> collectKeys(f.demoGroup(demo), "", keys));
                validator.add(demo, "actions", f.readRows(actions, false));
                for (String key : f.obsKeys(demo)) {
                    Dataset d = f.obsDataset(demo, key);
                    if (isLowDim(d)) validator.add(demo, "obs/" + key, f.readRows(d, false));
                }
            }
            Map<String, List<String>> masks = new LinkedHashMap<>();
            for (String m : f.maskNames()) masks.put(m, f.mask(m).orElse(List.of()));
            List<String> lowDim = new ArrayList<>();
            // the low-dim keys every demo has: any of them could be a config's obs_keys (one missing somewhere is
            // reported as such below, "in 2 of 3 demos", and refused by train-dp only if a config names it)
            for (String key : f.obsKeys(demos.get(0))) {
                KeyInfo k = keys.get("obs/" + key);
                if (k != null && k.demos() == demos.size() && isLowDim(f.obsDataset(demos.get(0), key))) lowDim.add(key);
            }
            summary = new Summary(file, demos, total, min, (double) total / demos.size(), max,
                    new ArrayList<>(keys.values()), masks, f.envArgs().orElse(null), validator.report());
            structureKeys = lowDim;
        }
        // train-dp's own checks of the structure (every low-dim key's steps and widths in every demo, the masks):
        // a file data info passes is one training can read.
        DemoDataset.checkStructure(file, structureKeys, outlierK);
        return summary;
    }

    /** Numeric, not an image, one row per step: what training could read. */
    private static boolean isLowDim(Dataset d) {
        var t = d.getDataType();
        return (t instanceof io.jhdf.object.datatype.FloatingPoint || t instanceof io.jhdf.object.datatype.FixedPoint)
                && !DemoFile.isImage(d) && d.getDimensions().length >= 1;
    }

    /** jhdf's failures on corrupt metadata, as one line naming the file and the HDF5 path (a user error, not a defect). */
    private static void guarded(Path file, String where, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            if (e instanceof UserError || !DemoFile.isJhdfFailure(e)) throw e;
            throw new DataFileException(file, where, "cannot read (truncated or corrupt file?): " + e.getMessage(), e);
        }
    }

    private static void collectKeys(Group g, String prefix, Map<String, KeyInfo> keys) {
        for (Node child : g.getChildren().values()) {
            String key = prefix + child.getName();
            if (child instanceof Group sub) {
                collectKeys(sub, key + "/", keys);
            } else if (child instanceof Dataset d) {
                int[] dims = d.getDimensions();
                int[] step = dims.length == 0 ? dims : Arrays.copyOfRange(dims, 1, dims.length);
                KeyInfo old = keys.get(key);
                String storage = d instanceof ChunkedDataset cd
                        ? "chunks " + Arrays.toString(cd.getChunkDimensions())
                        + (d.getFilters().isEmpty() ? "" : ", " + d.getFilters().get(0).getName())
                        : "";
                keys.put(key, new KeyInfo(key, old == null ? step : old.stepShape(), DemoFile.dtypeName(d),
                        storage, old == null ? 1 : old.demos() + 1));
            }
        }
    }

    /** The printable report. */
    public static String report(Path file) {
        return format(summarize(file));
    }

    public static String format(Summary s) {
        StringBuilder b = new StringBuilder();
        int nd = s.demos().size();
        b.append("file: ").append(s.file()).append('\n');
        b.append("demos: ").append(nd).append(" (").append(s.demos().get(0)).append(" .. ")
                .append(s.demos().get(nd - 1)).append(")\n");
        b.append("steps: ").append(s.totalSteps()).append('\n');
        b.append(String.format(Locale.ROOT, "episode length: min %d, mean %.1f, max %d%n", s.minLength(),
                s.meanLength(), s.maxLength()));
        b.append("keys (per-step shape, dtype):\n");
        int w = s.keys().stream().mapToInt(k -> k.key().length()).max().orElse(0);
        for (KeyInfo k : s.keys()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-" + w + "s  %-14s %-8s", k.key(),
                    Arrays.toString(k.stepShape()), k.dtype()));
            if (!k.storage().isEmpty()) line.append(' ').append(k.storage());
            if (k.demos() != nd) line.append("  (in ").append(k.demos()).append(" of ").append(nd).append(" demos)");
            b.append(line.toString().stripTrailing()).append('\n');
        }
        if (s.masks().isEmpty()) {
            b.append("masks: none (training uses the seeded split: val_ratio 0.02, seed 42)\n");
        } else {
            b.append("masks:\n");
            for (var e : s.masks().entrySet()) {
                List<String> names = e.getValue();
                b.append("  ").append(e.getKey()).append(": ").append(names.size()).append(" demos");
                if (names.size() <= 10) b.append(" (").append(String.join(", ", names)).append(')');
                b.append('\n');
            }
        }
        b.append("env_args: ").append(envSummary(s.envArgs())).append('\n');
        if (s.checks() != null) {
            List<String> lines = s.checks().lines(20);
            b.append("checks: ").append(lines.get(0)).append('\n');
            for (String l : lines.subList(1, lines.size())) b.append("  ").append(l).append('\n');
        }
        return b.toString();
    }

    static String envSummary(String envArgs) {
        if (envArgs == null) return "none";
        JsonNode n;
        try {
            n = JSON.readTree(envArgs);
        } catch (Exception e) {
            return "not JSON (" + envArgs.length() + " characters)";
        }
        List<String> parts = new ArrayList<>();
        Optional.ofNullable(n.get("env_name")).ifPresent(v -> parts.add("env_name " + v.asText()));
        Optional.ofNullable(n.get("type")).ifPresent(v -> parts.add("type " + v.asText()));
        JsonNode kw = n.get("env_kwargs");
        if (kw != null && kw.isObject()) {
            List<String> kv = new ArrayList<>();
            kw.fields().forEachRemaining(e -> {
                String v = e.getValue().toString();
                kv.add(v.length() <= 40 ? e.getKey() + "=" + v : e.getKey() + "={...}");
            });
            parts.add("env_kwargs {" + String.join(", ", kv) + "}");
        }
        return parts.isEmpty() ? "JSON without env_name/type" : String.join("; ", parts);
    }
}
