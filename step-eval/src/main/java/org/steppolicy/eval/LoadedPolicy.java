package org.steppolicy.eval;

import java.nio.file.Path;
import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.infer.InferenceSettings;
import org.steppolicy.infer.MethodSpec;
import org.steppolicy.infer.policy.ModelSource;
import org.steppolicy.infer.policy.StepPolicy;
import org.steppolicy.infer.policy.TrainedPolicy;
import org.steppolicy.infer.runtime.PolicyBundle;
import org.steppolicy.infer.runtime.RuntimeKind;
import org.steppolicy.sim.Evaluator;
import org.steppolicy.sim.PushTObservation;

/**
 * A trained DP with its predictors, loaded once for evaluation: an export-onnx folder ({@code dp} null: ONNX Runtime,
 * its own predictors) or training checkpoints; {@code observation} is what it observes in the simulator (null for a
 * task without one). Immutable: {@link Evaluation} and a sweep's tasks (step-sweep) evaluate it the same way.
 */
public record LoadedPolicy(Path dir, TrainedPolicy trained, PolicyBundle dp, PushTObservation observation) {

    /** True for an export-onnx folder. */
    public boolean export() { return dp == null; }

    /**
     * Reads {@code dir} (and the predictor checkpoints) through {@link TrainedPolicy#load}, the one loader, for
     * evaluation under config {@code c}; a problem is a one-line {@link UserError}.
     */
    public static LoadedPolicy load(StepConfig c, Path dir, List<Path> predictors) {
        TrainedPolicy trained = TrainedPolicy.load(dir, predictors);
        if (trained.exported() && !c.task().hasSimulator())
            throw new UserError(dir + ": an export-onnx folder is evaluated in closed loop; task " + c.task().name() + " has no simulator");
        PushTObservation observation = c.task().hasSimulator()
                ? Evaluation.observation(trained.shape().obsDim(), trained.image(), dir) : null;
        return new LoadedPolicy(dir, trained, trained.checkpoint(), observation);
    }

    /** The models on {@code runtime}, fresh instances per policy opened (one intra-op thread each, as evaluations run). */
    public ModelSource models(RuntimeKind runtime) {
        return trained.source(runtime, 1);
    }

    /**
     * Fails with a one-line {@link UserError} naming the method when it cannot run on this policy (a missing predictor,
     * a mismatch of normaliser, horizon or action size): checked before any rollout.
     */
    public void check(MethodSpec m, ModelSource models, InferenceSettings settings) {
        trained.requirePredictor(m.label(), m.method());
        StepPolicy.open(models, m.config(settings)).close(); // a mismatch is a UserError naming the method
    }

    /**
     * Closed-loop evaluation of this policy in the simulator under {@code c} (its inference settings and episode length)
     * on {@code threads} parallel environments.
     */
    public ClosedLoopEvaluation closedLoop(StepConfig c, ModelSource models, int threads) {
        if (observation == null) throw new UserError("task " + c.task().name() + " has no simulator: it is evaluated offline");
        Evaluator evaluator = new Evaluator(trained.shape().obsSteps(), c.task().evalMaxSteps(), observation);
        return new ClosedLoopEvaluation(models, InferenceSettings.from(c.inference()), evaluator, threads);
    }
}
