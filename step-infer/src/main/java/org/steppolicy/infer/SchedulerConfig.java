package org.steppolicy.infer;

import org.steppolicy.models.BetaSchedule;

/**
 * The noise scheduler a DP was trained with, as its checkpoint records it (diffusers' scheduler config, §B.3): the
 * β schedule over {@code trainSteps} steps, whether x̂0 is clipped to [−1, 1], and what the network predicts. The
 * solvers sample on exactly this; a model sampled on another schedule than it was trained on gives garbage actions.
 *
 * @param betaStart read by the linear schedules only (diffusers' default 1e-4)
 * @param betaEnd   read by the linear schedules only (diffusers' default 0.02)
 */
public record SchedulerConfig(BetaSchedule betaSchedule, int trainSteps, double betaStart, double betaEnd,
                              boolean clipSample, PredictionType predictionType) {
    public SchedulerConfig {
        if (trainSteps < 1) throw new IllegalArgumentException("num_train_timesteps must be >= 1, got " + trainSteps);
        betaSchedule.betas(trainSteps, betaStart, betaEnd); // refuses β outside (0, 1) here, not at the first call
    }

    /** Diffusion Policy's: squaredcos_cap_v2, 100 steps, clip_sample, epsilon. */
    public static SchedulerConfig diffusionPolicy() {
        return new SchedulerConfig(BetaSchedule.SQUAREDCOS_CAP_V2, NoiseSchedule.DP_STEPS, BetaSchedule.DEFAULT_BETA_START,
                BetaSchedule.DEFAULT_BETA_END, true, PredictionType.EPSILON);
    }

    /** From config values as written (e.g. "linear", "epsilon"); unsupported names fail with a one-line message. */
    public static SchedulerConfig of(String betaSchedule, int trainSteps, double betaStart, double betaEnd,
                                     boolean clipSample, String predictionType) {
        return new SchedulerConfig(BetaSchedule.parse(betaSchedule), trainSteps, betaStart, betaEnd, clipSample,
                PredictionType.parse(predictionType));
    }

    /** The ᾱ table the solvers step on. */
    public NoiseSchedule noiseSchedule() {
        return NoiseSchedule.of(betaSchedule, trainSteps, betaStart, betaEnd);
    }

    @Override
    public String toString() {
        return betaSchedule.id() + ", " + trainSteps + " steps" + (clipSample ? ", clip_sample" : "") + ", " + predictionType.id()
                + (betaSchedule == BetaSchedule.SQUAREDCOS_CAP_V2 ? "" : ", beta " + betaStart + ".." + betaEnd);
    }
}
