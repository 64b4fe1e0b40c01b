package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.MethodSpec;

/**
 * One quickstart: the training config (its {@link QuickstartTask}'s, low-dim or image, with the user's overrides),
 * the Push-T data (null: found or downloaded by {@link QuickstartData}), the shipped export folder to evaluate first
 * (absent: skipped with one line), the methods compared, the whole run's budget in minutes, episodes per method,
 * evaluation threads, and the output folder ({@code force}: start over where it holds an earlier quickstart).
 */
public record QuickstartRequest(StepConfig config, Path data, Path shipped, List<MethodSpec> methods, double minutes,
                                int episodes, int threads, Path out, boolean force) {
    public QuickstartRequest {
        methods = List.copyOf(methods);
    }
}
