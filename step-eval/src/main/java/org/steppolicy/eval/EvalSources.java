package org.steppolicy.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.MethodSpec;

/**
 * The checkpoints and methods an evaluation reads. What the user names is taken as given; a missing DP is the newest
 * DP run under the runs folder, missing predictors the newest run of each kind the methods need. With
 * {@code dropUnavailable} (the --steps comparison) a method whose predictor kind exists nowhere is left out with one
 * printed line instead of failing the whole evaluation.
 */
public record EvalSources(Path dp, List<Path> predictors, List<MethodSpec> methods) {
    static final String TRAIN_DP = "./step train-dp --config configs/pusht-small.yaml";

    public static EvalSources pick(Path dp, List<Path> predictors, List<MethodSpec> methods, boolean dropUnavailable,
                                   Path root, PrintWriter log) {
        TrainedRuns runs = null;
        if (dp == null) {
            runs = TrainedRuns.scan(root);
            dp = runs.newest("dp").orElseThrow(() -> new UserError("no DP run under " + root + "/: train one with " + TRAIN_DP));
            log.println("dp: " + dp + " (the newest DP run under " + root + "/)");
        }
        List<Path> preds = new ArrayList<>(predictors);
        if (preds.isEmpty()) {
            if (runs == null) runs = TrainedRuns.scan(root);
            for (Map.Entry<String, Path> e : runs.newestPredictors().entrySet()) {
                if (methods.stream().noneMatch(m -> e.getKey().equals(m.method().predictorKind()))) continue;
                preds.add(e.getValue());
                log.println(e.getKey() + " predictor: " + e.getValue() + " (the newest under " + root + "/)");
            }
            if (dropUnavailable) methods = dropUnavailable(methods, runs.newestPredictors().keySet(), dp, root, log);
        }
        log.flush();
        return new EvalSources(dp, preds, methods);
    }

    /** The methods whose predictor kind is available; one line names the others and what to train for them. */
    static List<MethodSpec> dropUnavailable(List<MethodSpec> methods, Set<String> kinds, Path dp, Path root, PrintWriter log) {
        List<MethodSpec> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        Set<String> missing = new TreeSet<>();
        for (MethodSpec m : methods) {
            String kind = m.method().predictorKind();
            if (kind == null || kinds.contains(kind)) kept.add(m);
            else {
                dropped.add(m.label());
                missing.add(kind);
            }
        }
        if (!dropped.isEmpty()) {
            List<String> how = missing.stream().map(k -> "./step train-predictor --config configs/pusht-small.yaml --dp " + dp
                    + " predictor.kind=" + k).toList();
            log.println("no " + String.join(" or ", missing) + " predictor run under " + root + "/: skipping "
                    + String.join(", ", dropped) + " (train with " + String.join("; ", how) + ")");
        }
        return kept;
    }
}
