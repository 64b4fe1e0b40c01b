package org.steppolicy.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files and folders one kind of run writes, at every depth: what {@code --force} may delete. Anything else in
 * the folder (a note beside the checkpoints, a folder {@code checkpoints/best-keep/}, an extra file inside
 * {@code checkpoints/step-N/}, a symbolic link anywhere) is the user's, and its presence makes {@code --force}
 * refuse, naming it. Each name may also carry the {@code .tmp} suffix of a write that did not finish.
 */
final class RunLayout {
    /** What a checkpoint folder holds (step-models' Checkpoint and step-train's CheckpointWriter, InitialWeights). */
    private static final RunLayout CHECKPOINT = new RunLayout().files("model\\.tensors", "ema\\.tensors", "optimizer\\.bin",
            "normalizer\\.json", "config\\.yaml", "meta\\.json", "data\\.json", "init\\.json", "checksums\\.sha256");

    /** train-dp, train-predictor: the resolved config, metrics and plot, and checkpoints (with .tmp/.old while replaced). */
    static final RunLayout TRAINING = new RunLayout().files("config\\.yaml", "metrics\\.csv", "loss\\.png")
            .folder("checkpoints", new RunLayout().folder("step-\\d+(\\.tmp|\\.old)?", CHECKPOINT));

    /** eval: the config, the results and plot, the episode GIFs; analyze contraction: its table, JSON and plot. */
    static final RunLayout EVALUATION = new RunLayout().files("config\\.yaml", "results\\.json", "results\\.md", "score_vs_latency\\.png",
                    "contraction\\.json", "contraction\\.md", "contraction\\.png")
            .folder("videos", new RunLayout().files("[A-Za-z0-9_.:-]+\\.gif"));

    /** sweep (step-sweep): the config and grid it ran, the table, every episode, the per-cell results and the plot. */
    static final RunLayout SWEEP = new RunLayout().files("config\\.yaml", "grid\\.yaml", "results\\.json", "results\\.md",
            "results\\.csv", "score_vs_latency\\.png");

    /** export-onnx: the networks, policy.json and the checksums (step-infer's OnnxExport). */
    static final RunLayout EXPORT = new RunLayout().files("dp\\.onnx", "predictor\\.onnx", "predictor-[A-Za-z0-9_]+\\.onnx",
            "obs_encoder\\.onnx", "step_policy\\.onnx", "policy\\.json", "checksums\\.sha256");

    private final List<Pattern> files = new ArrayList<>();
    private final Map<Pattern, RunLayout> folders = new LinkedHashMap<>();

    private RunLayout files(String... regexes) {
        for (String r : regexes) files.add(Pattern.compile("(?:" + r + ")(?:\\.tmp)?"));
        return this;
    }

    private RunLayout folder(String regex, RunLayout inside) {
        folders.put(Pattern.compile(regex), inside);
        return this;
    }

    /**
     * The entries of {@code dir} this layout does not account for, as paths relative to the run folder (a folder
     * that is foreign is named once, not walked), in name order; the lock files at the top are ignored.
     */
    List<String> foreign(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        collect(dir, "", out);
        return out;
    }

    private void collect(Path dir, String prefix, List<String> out) throws IOException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (prefix.isEmpty() && RunLock.isLockFile(name)) continue;
            String rel = prefix + name;
            if (Files.isSymbolicLink(p)) {
                out.add(rel + " (a symbolic link)");
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                RunLayout inside = folderLayout(name);
                if (inside == null) out.add(rel + "/");
                else inside.collect(p, rel + "/", out);
            } else if (files.stream().noneMatch(f -> f.matcher(name).matches())) {
                out.add(rel);
            }
        }
    }

    private RunLayout folderLayout(String name) {
        for (Map.Entry<Pattern, RunLayout> e : folders.entrySet()) if (e.getKey().matcher(name).matches()) return e.getValue();
        return null;
    }
}
