package org.steppolicy.train;

import java.util.List;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.PolicyConfig;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.TrainingConfig;
import org.steppolicy.models.UnetConfig;

/**
 * What the DP trainer runs: the resolved config (task, policy, training; every field is documented once, in
 * step-base's defaults.yaml) and the optimiser step count it resolved to. The accessors below only name the config's
 * fields the way the trainer reads them.
 *
 * @param steps optimiser steps, and the cosine schedule's length (--max-steps, training.max_steps or epochs)
 */
public record DpTrainSettings(StepConfig config, long steps) {

    public DpTrainSettings {
        if (nObsSteps(config) < 1 || nObsSteps(config) > config.task().horizon())
            throw new IllegalArgumentException("n_obs_steps must be in [1, horizon]");
        if (config.training().batchSize() < 1) throw new IllegalArgumentException("batch_size must be >= 1");
    }

    private static int nObsSteps(StepConfig c) { return c.task().nObsSteps(); }

    /** Push-T low-dim CNN as configured (global-cond; inpainting is {@code withObsAsGlobalCond(false)}). */
    public static DpTrainSettings pushT() {
        return new DpTrainSettings(ConfigLoader.defaults(List.of()), 10_000);
    }

    public PolicyConfig policy() { return config.policy(); }
    public TrainingConfig training() { return config.training(); }

    public int horizon() { return config.task().horizon(); }
    public int nObsSteps() { return config.task().nObsSteps(); }
    public int nActionSteps() { return config.task().nActionSteps(); }
    public boolean obsAsGlobalCond() { return policy().obsAsGlobalCond(); }
    public List<Integer> downDims() { return policy().downDims(); }
    public int numTrainTimesteps() { return policy().numTrainTimesteps(); }
    public int batchSize() { return training().batchSize(); }
    public long seed() { return training().seed(); }

    /** The U-Net for these task dimensions; condStepDim is what one observation step contributes to the condition. */
    public UnetConfig unet(int obsDim, int actionDim, int condStepDim) {
        return UnetConfig.forPolicy(policy(), obsDim, actionDim, nObsSteps(), condStepDim);
    }

    public DpTrainSettings withObsAsGlobalCond(boolean v) {
        return new DpTrainSettings(config.with("policy.obs_as_global_cond=" + v), steps);
    }

    public DpTrainSettings withNet(List<Integer> dims, int stepEmbed) {
        return new DpTrainSettings(config.with("policy.down_dims=" + dims, "policy.diffusion_step_embed_dim=" + stepEmbed), steps);
    }

    public DpTrainSettings withSchedule(int batch, long totalSteps, long warmup, int valEveryN, int checkpointEveryN) {
        return new DpTrainSettings(config.with("training.batch_size=" + batch, "training.warmup_steps=" + warmup,
                "training.val_every=" + valEveryN, "training.checkpoint_every=" + checkpointEveryN), totalSteps);
    }

    /** Chunking as one change: the config checks To − 1 + Ta ≤ T, which a lone horizon change could break midway. */
    public DpTrainSettings withHorizon(int h, int obsSteps, int actionSteps) {
        return new DpTrainSettings(config.with("task.horizon=" + h, "task.n_obs_steps=" + obsSteps,
                "task.n_action_steps=" + actionSteps), steps);
    }

    public Trainer.Settings trainerSettings() {
        return Trainer.Settings.of(training(), steps);
    }

    /** The resolved config the run writes (config.yaml). */
    public String toYaml() {
        return config.toYaml();
    }
}
