package org.steppolicy.train;

import org.steppolicy.config.BridgerConfig;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.TrainingConfig;
import org.steppolicy.models.BridgerArch;
import org.steppolicy.models.DpArch;
import org.steppolicy.models.StochasticInterpolant;
import org.steppolicy.models.UnetConfig;

/**
 * What the BRIDGeR trainer runs: the resolved config (task; policy for the U-Net sizes of both networks; bridger;
 * bridger_training; every field is documented once, in step-data's defaults.yaml) and the optimiser step count.
 */
public record BridgerTrainSettings(StepConfig config, long steps) {

    public BridgerTrainSettings {
        if (!config.policy().obsAsGlobalCond())
            throw new org.steppolicy.config.UserError("config: BRIDGeR needs policy.obs_as_global_cond = true (its networks take the observation as FiLM condition)");
    }

    public BridgerConfig bridger() { return config.bridger(); }
    public TrainingConfig training() { return config.bridgerTraining(); }

    public int horizon() { return config.task().horizon(); }
    public int nObsSteps() { return config.task().nObsSteps(); }
    public int batchSize() { return training().batchSize(); }
    public long seed() { return training().seed(); }

    public StochasticInterpolant interpolant() {
        return new StochasticInterpolant(StochasticInterpolant.Shape.parse(bridger().interpolant()), bridger().noiseScale());
    }

    /** The networks' architecture for these data dimensions (each U-Net as the DP's policy section describes). */
    public BridgerArch arch(int obsDim, int actionDim) {
        UnetConfig unet = UnetConfig.forPolicy(config.policy(), obsDim, actionDim, nObsSteps(), obsDim);
        DpArch dp = new DpArch(unet, horizon(), nObsSteps(), config.task().nActionSteps(), obsDim, actionDim, 0, null, null);
        return new BridgerArch(dp, bridger().source(), interpolant(), bridger().cvaeSource() ? cvae(horizon(), actionDim, nObsSteps() * obsDim) : null);
    }

    /** The CVAE source's shape (bridger.cvae_latent_dim, bridger.cvae_hidden) for these chunk and condition sizes. */
    public org.steppolicy.models.CvaeArch cvae(int horizon, int actionDim, int condDim) {
        return new org.steppolicy.models.CvaeArch(bridger().cvaeLatentDim(), bridger().cvaeHidden(), horizon, actionDim, condDim);
    }

    /** The CVAE's own training loop: bridger_training's optimiser and bookkeeping for bridger.source_steps steps. */
    public Trainer.Settings sourceTrainerSettings() {
        return Trainer.Settings.of(training(), bridger().sourceSteps());
    }

    public Trainer.Settings trainerSettings() {
        return Trainer.Settings.of(training(), steps);
    }

    public String toYaml() {
        return config.toYaml();
    }
}
