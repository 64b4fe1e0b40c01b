package org.steppolicy.cli;

import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.StepConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** --config FILE, --data FILE and trailing key=value overrides, shared by every config-driven command. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Task config (YAML): a path, or a name in the project's configs/ (e.g. square.yaml). "
            + "Default: configs/pusht.yaml (quickstart: the config of its --task).")
    Path config;

    @Option(names = "--data", paramLabel = "FILE", description = "Dataset (HDF5); overrides task.dataset.")
    Path data;

    @Parameters(paramLabel = "KEY=VALUE", arity = "0..*", description = "Config overrides, e.g. training.batch_size=64.")
    List<String> overrides = new ArrayList<>();

    @Mixin
    VerboseOption verbose;

    /**
     * As {@link #resolve()}, but without --config the resolved config a run wrote ({@code resolvedYaml}, e.g. an
     * evaluation's config.yaml for --resume) instead of configs/pusht.yaml; overrides and --data still apply.
     */
    public StepConfig resolveOr(Path resolvedYaml) {
        if (config != null) return resolve();
        List<String> all = new ArrayList<>(overrides);
        if (data != null) all.add("task.dataset=" + data);
        String text;
        try {
            text = java.nio.file.Files.readString(resolvedYaml);
        } catch (java.io.IOException e) {
            throw new org.steppolicy.config.UserError(resolvedYaml + ": cannot read (" + e.getMessage() + "); give --config, or a folder a run wrote");
        }
        StepConfig c = ConfigLoader.fromResolvedYaml(text, resolvedYaml.toString());
        return all.isEmpty() ? c : c.with(all.toArray(String[]::new));
    }

    /** The resolved configuration: file, then overrides, then --data. */
    public StepConfig resolve() {
        List<String> all = new ArrayList<>(overrides);
        if (data != null) all.add("task.dataset=" + data);
        Path file = config != null ? config : Path.of("configs/pusht.yaml");
        return ConfigLoader.load(file, all);
    }
}
