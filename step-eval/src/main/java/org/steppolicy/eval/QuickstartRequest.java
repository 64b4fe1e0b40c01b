package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.infer.MethodSpec;

/**
 * One quickstart: the training config (pusht-small with the user's overrides), the Push-T data (null: found or
 * downloaded by {@link QuickstartData}), the shipped export folder to evaluate first (absent: skipped with one line),
 * the methods compared, the whole run's budget in minutes, episodes per method, evaluation threads, and the output
 * folder ({@code force}: start over where it holds an earlier quickstart).
 */
public record QuickstartRequest(StepConfig config, Path data, Path shipped, List<MethodSpec> methods, double minutes,
                                int episodes, int threads, Path out, boolean force) {
    /** The shipped policy's folder inside the project. */
    public static final String SHIPPED = "models/pusht-lowdim";

    public QuickstartRequest {
        methods = List.copyOf(methods);
    }

    /** The shipped policy: models/pusht-lowdim under the project root ./step passes as step.home, else the working directory. */
    public static Path shippedPolicy(String stepHome) {
        return (stepHome == null ? Path.of("") : Path.of(stepHome)).resolve(SHIPPED);
    }
}
