package org.steppolicy.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.steppolicy.config.StepConfig;
import org.steppolicy.eval.LoadedPolicy;

/**
 * The policies loaded in this JVM, by folder: a Spark executor runs many tasks in one JVM, and a static map is the
 * only thing that outlives a task, so each executor reads a policy's files once and its tasks share the immutable
 * {@link LoadedPolicy} (each task still opens its own ONNX Runtime sessions over the shared weights, as
 * `step eval`'s threads do). In local mode the driver's check before the sweep fills it for the tasks. An executor
 * lives as long as its application, so a sweep never sees another sweep's files.
 */
final class PolicyCache {
    private static final Map<String, LoadedPolicy> LOADED = new ConcurrentHashMap<>();

    private PolicyCache() {}

    static LoadedPolicy get(StepConfig c, Path dir, List<Path> predictors) {
        String key = dir.toAbsolutePath().normalize() + "|" + predictors.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList()
                + "|" + c.task().name() + "|" + c.task().hasSimulator();
        return LOADED.computeIfAbsent(key, k -> LoadedPolicy.load(c, dir, predictors));
    }
}
