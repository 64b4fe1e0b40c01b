package org.steppolicy.train;

import java.util.List;
import org.steppolicy.config.ConfigLoader;
import org.steppolicy.config.PredictorConfig;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.TrainingConfig;
import org.steppolicy.models.PredictorNetConfig;

/**
 * What the predictor trainer runs: the resolved config (task, predictor, predictor_training; every field is documented
 * once, in step-base's defaults.yaml) and the optimiser step count it resolved to.
 */
public record PredictorTrainSettings(StepConfig config, long steps) {

    /** The paper's predictor (docs/reference/step-method.md "The pieces" 2) of the given kind. */
    public static PredictorTrainSettings paper(PredictorNetConfig.Kind kind) {
        return new PredictorTrainSettings(ConfigLoader.defaults(List.of("predictor.kind=" + kind.id())), 100_000);
    }

    public PredictorConfig predictor() { return config.predictor(); }
    public TrainingConfig training() { return config.predictorTraining(); }

    public PredictorNetConfig.Kind kind() { return PredictorNetConfig.Kind.parse(predictor().kind()); }
    public int horizon() { return config.task().horizon(); }
    public int nObsSteps() { return config.task().nObsSteps(); }
    public int nActionSteps() { return config.task().nActionSteps(); }
    public int batchSize() { return training().batchSize(); }
    public long seed() { return training().seed(); }

    public PredictorTrainSettings withNet(int d, int heads, int ff, double drop, int layers, int nBlocks) {
        return new PredictorTrainSettings(config.with("predictor.d_model=" + d, "predictor.n_heads=" + heads,
                "predictor.dim_feedforward=" + ff, "predictor.dropout=" + drop, "predictor.encoder_layers=" + layers,
                "predictor.blocks=" + nBlocks), steps);
    }

    public PredictorTrainSettings withSchedule(int batch, long totalSteps, double baseLr, long warmup, int valEveryN, int checkpointEveryN) {
        return new PredictorTrainSettings(config.with("predictor_training.batch_size=" + batch, "predictor_training.lr=" + baseLr,
                "predictor_training.warmup_steps=" + warmup, "predictor_training.val_every=" + valEveryN,
                "predictor_training.checkpoint_every=" + checkpointEveryN), totalSteps);
    }

    public PredictorTrainSettings withHorizon(int h, int obsSteps, int actionSteps) {
        return new PredictorTrainSettings(config.with("task.horizon=" + h, "task.n_obs_steps=" + obsSteps,
                "task.n_action_steps=" + actionSteps), steps);
    }

    public PredictorNetConfig netConfig(int obsDim, int actionDim) {
        PredictorConfig p = predictor();
        return new PredictorNetConfig(obsDim, actionDim, nObsSteps(), horizon(), p.dModel(), p.nHeads(), p.dimFeedforward(),
                p.dropout(), p.encoderLayers(), p.blocks(), kind());
    }

    public Trainer.Settings trainerSettings() {
        return Trainer.Settings.of(training(), steps);
    }

    public String toYaml() {
        return config.toYaml();
    }
}
