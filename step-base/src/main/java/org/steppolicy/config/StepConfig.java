package org.steppolicy.config;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.List;

/**
 * The resolved configuration of one run: defaults, then the task file, then key=value overrides.
 * {@code tree} keeps the merged YAML so every run can write exactly what it used ({@link #toYaml()}).
 */
public record StepConfig(
        TaskConfig task,
        PolicyConfig policy,
        TrainingConfig training,
        PredictorConfig predictor,
        TrainingConfig predictorTraining,
        BridgerConfig bridger,
        TrainingConfig bridgerTraining,
        InferenceConfig inference,
        EvalConfig eval,
        Provenance provenance,
        ObjectNode tree) {

    /** Where the configuration came from, written into every resolved config. */
    public record Provenance(String file, List<String> overrides) {}

    public String toYaml() { return ConfigLoader.toYaml(this); }

    /** A copy with more overrides applied (e.g. a --data flag turned into task.dataset=...). */
    public StepConfig with(String... overrides) { return ConfigLoader.withOverrides(this, List.of(overrides)); }

    public Path datasetPath() { return Path.of(task.dataset()); }
}
