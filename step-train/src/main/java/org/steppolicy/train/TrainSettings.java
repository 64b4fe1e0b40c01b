package org.steppolicy.train;

import java.time.Duration;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.TrainingConfig;
import org.steppolicy.config.UserError;
import org.steppolicy.models.PredictorNetConfig;

/**
 * Each job's trainer settings from the config (steps, wall-clock budget, the checks that refuse a config before any
 * data loads); separate so the jobs and the benches read settings one way. {@code maxSteps} (when not null)
 * overrides training.max_steps; null keeps the config's (max_steps, else num_epochs × batches per epoch).
 */
public final class TrainSettings {
    private TrainSettings() {}

    /** DP settings from the config; {@code trainWindows} sizes the epoch when max_steps is null. */
    public static DpTrainSettings dp(StepConfig c, int trainWindows, Long maxSteps) {
        TrainingConfig t = c.training();
        var p = c.policy();
        // Inference samples on the schedule the checkpoint's config names, so training must not quietly use another.
        if (!"squaredcos_cap_v2".equals(p.betaSchedule()) || !"epsilon".equals(p.predictionType()))
            throw new UserError("policy.beta_schedule " + p.betaSchedule() + ", prediction_type " + p.predictionType()
                    + ": training supports squaredcos_cap_v2 with epsilon only (docs/reference/diffusion-policy.md B.3)");
        long steps = totalSteps(t, trainWindows, false, maxSteps);
        return new DpTrainSettings(c, steps);
    }

    public static PredictorTrainSettings predictor(StepConfig c, int trainWindows, Long maxSteps) {
        TrainingConfig t = c.predictorTraining();
        if (t.emaEnabled()) throw new UserError("predictor_training.ema_enabled: the predictor trains without EMA (docs/reference/step-method.md)");
        long steps = totalSteps(t, trainWindows, true, maxSteps);
        PredictorNetConfig.Kind.parse(c.predictor().kind()); // an unknown kind fails here, before the data loads
        return new PredictorTrainSettings(c, steps);
    }

    /** BRIDGeR settings from the config (bridger, bridger_training, the policy section's U-Net sizes). */
    public static BridgerTrainSettings bridger(StepConfig c, int trainWindows, Long maxSteps) {
        long steps = totalSteps(c.bridgerTraining(), trainWindows, false, maxSteps);
        return new BridgerTrainSettings(c, steps);
    }

    private static long totalSteps(TrainingConfig t, int trainWindows, boolean dropLast, Long maxSteps) {
        if (maxSteps != null) {
            requireMaxSteps(maxSteps);
            return maxSteps;
        }
        if (t.maxSteps() != null) return t.maxSteps();
        long perEpoch = dropLast ? trainWindows / t.batchSize() : (trainWindows + t.batchSize() - 1) / t.batchSize();
        return Math.max(1, perEpoch) * t.numEpochs();
    }

    static void requireMaxSteps(Long maxSteps) {
        if (maxSteps != null && maxSteps < 1) throw new UserError("--max-steps must be >= 1, got " + maxSteps);
    }

    /** training.max_minutes as a wall-clock budget (null: none). */
    static Duration budget(TrainingConfig t) {
        return t.maxMinutes() == null ? null : Duration.ofMillis((long) (t.maxMinutes() * 60_000));
    }
}
