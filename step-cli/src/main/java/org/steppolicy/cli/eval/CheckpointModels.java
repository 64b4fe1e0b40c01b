package org.steppolicy.cli.eval;

import org.steppolicy.config.UserError;
import org.steppolicy.infer.Method;
import org.steppolicy.infer.PolicyModels;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.PolicyLoader;
import org.steppolicy.infer.runtime.PredictorBundle;
import org.steppolicy.infer.runtime.RuntimeKind;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained DP with its predictors, by kind ("step", "spatial"), on one runtime: the step and predictor-only methods
 * use the spatiotemporal predictor, spatial the obs-only one; the pure diffusion methods get no predictor.
 */
public final class CheckpointModels implements ModelSource {
    private final PolicyBundle dp;
    private final Map<String, PredictorBundle> predictors = new HashMap<>();
    private final RuntimeKind runtime;
    private final int threads;

    public CheckpointModels(PolicyBundle dp, List<PredictorBundle> predictors, RuntimeKind runtime, int threads) {
        this.dp = dp.withPredictor(null);
        for (PredictorBundle p : predictors) {
            if (this.predictors.put(p.kind(), p) != null)
                throw new UserError("two '" + p.kind() + "' predictors given; pass one of each kind (step, spatial)");
        }
        this.runtime = runtime;
        this.threads = threads;
    }

    /** The predictor kind a method needs, or null. */
    public static String predictorKind(Method m) {
        return m.predictorKind();
    }

    /** Fails with one line when a method needs a predictor kind that was not given. */
    public void requireFor(Method m, String label) {
        String kind = predictorKind(m);
        if (kind != null && !predictors.containsKey(kind))
            throw new UserError("method " + label + " needs a '" + kind + "' predictor checkpoint: pass --predictor DIR"
                    + " (trained with predictor.kind=" + kind + ")");
    }

    @Override
    public PolicyModels open(Method method) {
        String kind = predictorKind(method);
        PolicyBundle b = kind == null ? dp : dp.withPredictor(predictors.get(kind));
        return PolicyLoader.models(b, runtime, threads);
    }
}
