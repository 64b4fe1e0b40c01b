package org.steppolicy.infer.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.Method;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.models.Checkpoint;

/** Training checkpoints: the DP bundle and the predictor bundles by kind ("step", "spatial"). */
record CheckpointPolicy(PolicyBundle dp, Map<String, PredictorBundle> predictors, String provenance, String source) implements TrainedPolicy {

    CheckpointPolicy {
        predictors = Map.copyOf(predictors);
    }

    static CheckpointPolicy read(Path dir, List<Path> predictorDirs) {
        PolicyLoader.WithOthers loaded = PolicyLoader.withOthers(dir, predictorDirs);
        StringBuilder from = new StringBuilder("dp ").append(describe(dir));
        java.util.Iterator<PredictorBundle> preds = loaded.predictors().iterator();
        for (Path p : predictorDirs)   // in the order given; fromCheckpoints kept the predictors' order
            from.append("; ").append(org.steppolicy.infer.runtime.BridgerBundle.isBridger(p) ? "bridger"
                    : preds.next().kind() + " predictor").append(" ").append(describe(p));
        return of(loaded.dp(), loaded.predictors(), from.toString(), dir.toString());
    }

    /** {@code source}: what a message names the policy by (its folder as given, or e.g. "random weights"). */
    static CheckpointPolicy of(PolicyBundle dp, List<PredictorBundle> predictors, String provenance, String source) {
        Map<String, PredictorBundle> byKind = new LinkedHashMap<>();
        for (PredictorBundle p : predictors)
            if (byKind.put(p.kind(), p) != null)
                throw new UserError("two '" + p.kind() + "' predictors given; pass one of each kind (step, spatial)");
        return new CheckpointPolicy(dp.withPredictor(null), byKind, provenance, source);
    }

    private static String describe(Path dirOrRun) {
        Path ckpt = Checkpoint.resolve(dirOrRun);
        return ckpt + " (step " + Checkpoint.readMeta(ckpt).step() + ")";
    }

    @Override
    public PolicyShape shape() { return dp.shape(); }

    @Override
    public PolicyBundle checkpoint() { return dp; }

    @Override
    public List<PredictorBundle> predictorBundles() {
        return predictors.values().stream().sorted(java.util.Comparator.comparing((PredictorBundle p) -> !"step".equals(p.kind()))
                .thenComparing(PredictorBundle::kind)).toList();
    }

    @Override
    public org.steppolicy.infer.runtime.OnnxExportFolder.ImageInput image() {
        if (!dp.hasImages()) return null;
        var spec = dp.encoder().spec();
        return new org.steppolicy.infer.runtime.OnnxExportFolder.ImageInput(spec.lowDim(), spec.height(), spec.width());
    }

    @Override
    public SchedulerConfig scheduler() { return dp.scheduler(); }

    @Override
    public java.util.Set<String> predictorKinds() {
        if (dp.bridger() == null) return predictors.keySet();
        java.util.Set<String> kinds = new java.util.LinkedHashSet<>(predictors.keySet());
        kinds.add(Method.BRIDGER_KIND);
        return kinds;
    }

    @Override
    public PolicyModels open(Method method, RuntimeKind runtime, int threads) {
        requirePredictor(method.label(), method);
        String kind = method.predictorKind();
        if (method == Method.BRIDGER) return PolicyLoader.models(dp, runtime, threads);
        PredictorBundle p = kind == null ? null : predictors.get(kind);
        return PolicyLoader.models(dp.withPredictor(p).withBridger(null), runtime, threads);
    }
}
