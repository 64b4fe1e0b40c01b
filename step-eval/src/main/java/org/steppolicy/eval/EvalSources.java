package org.steppolicy.eval;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.LinkedHashSet;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.runtime.OnnxExportFolder;

/**
 * The checkpoints and methods an evaluation reads. What the user names is taken as given; a missing DP is the newest
 * DP run under the runs folder, missing predictors the newest run of each kind the methods need. With
 * {@code dropUnavailable} (the --steps comparison) a method whose predictor kind exists nowhere is left out with one
 * printed line instead of failing the whole evaluation. An export-onnx folder as the DP brings its own predictors.
 */
public record EvalSources(Path dp, List<Path> predictors, List<MethodSpec> methods) {
    static final String TRAIN_DP = "./step train-dp --config configs/pusht-small.yaml";

    public static EvalSources pick(Path dp, List<Path> predictors, List<MethodSpec> methods, boolean dropUnavailable,
                                   Path root, PrintWriter log) {
        if (dp != null && OnnxExportFolder.isExport(dp)) return ofExport(dp, predictors, methods, dropUnavailable, log);
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

    /**
     * An export-onnx folder: its own predictors only (no --predictor with it); with {@code dropUnavailable} the
     * methods whose predictor kind it lacks are left out with one line, else {@link Evaluation} refuses them.
     */
    static EvalSources ofExport(Path dir, List<Path> predictors, List<MethodSpec> methods, boolean dropUnavailable, PrintWriter log) {
        if (!predictors.isEmpty())
            throw org.steppolicy.infer.policy.TrainedPolicy.predictorsWithExport(dir);
        if (dropUnavailable) methods = servedBy(methods, OnnxExportFolder.read(dir).predictorKinds(), dir.toString(), log);
        log.flush();
        return new EvalSources(dir, List.of(), methods);
    }

    /** The methods {@code kinds} serve; one line says that {@code source} lacks the others' predictors. */
    static List<MethodSpec> servedBy(List<MethodSpec> methods, Set<String> kinds, String source, PrintWriter log) {
        Split s = split(methods, kinds);
        if (!s.dropped().isEmpty())
            log.println(source + " has no " + String.join(" or ", s.missing()) + " predictor: skipping " + String.join(", ", s.dropped()));
        return s.kept();
    }

    /** The methods whose predictor kind is available; one line names the others and what to train for them. */
    static List<MethodSpec> dropUnavailable(List<MethodSpec> methods, Set<String> kinds, Path dp, Path root, PrintWriter log) {
        Split s = split(methods, kinds);
        if (!s.dropped().isEmpty()) {
            List<String> how = s.missing().stream().map(k -> k.equals(org.steppolicy.infer.Method.BRIDGER_KIND)
                    ? "./step train-bridger --config configs/pusht-small.yaml"
                    : "./step train-predictor --config configs/pusht-small.yaml --dp " + dp + " predictor.kind=" + k).toList();
            log.println("no " + String.join(" or ", s.missing()) + " predictor run under " + root + "/: skipping "
                    + String.join(", ", s.dropped()) + " (train with " + String.join("; ", how) + ")");
        }
        return s.kept();
    }

    /** Methods split by whether their predictor kind is among {@code kinds}: kept, dropped labels, missing kinds. */
    private record Split(List<MethodSpec> kept, List<String> dropped, Set<String> missing) {}

    private static Split split(List<MethodSpec> methods, Set<String> kinds) {
        List<MethodSpec> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();   // in the methods' order, as the skipped labels
        for (MethodSpec m : methods) {
            String kind = m.method().predictorKind();
            if (kind == null || kinds.contains(kind)) kept.add(m);
            else {
                dropped.add(m.label());
                missing.add(kind);
            }
        }
        return new Split(kept, dropped, missing);
    }
}
