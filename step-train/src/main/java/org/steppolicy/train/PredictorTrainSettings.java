package org.steppolicy.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.steppolicy.models.PredictorNetConfig;

/**
 * Everything the predictor trainer needs, resolved (defaults: docs/reference/step-method.md "The pieces" 2: d 128, 4 heads, FFN 256,
 * dropout 0.1, 2 encoder layers, 2 blocks; AdamW lr 1e-4, betas (0.9, 0.999), wd 1e-4, cosine with 500 warm-up,
 * batch 256, no EMA).
 */
public record PredictorTrainSettings(
        PredictorNetConfig.Kind kind, int horizon, int nObsSteps, int nActionSteps,
        int dModel, int nHeads, int ffDim, double dropout, int encoderLayers, int blocks,
        int batchSize, long steps, double lr, double beta1, double beta2, double adamEps, double weightDecay,
        long warmupSteps, int valEvery, int checkpointEvery, int keepLast, long seed) {

    public static PredictorTrainSettings paper(PredictorNetConfig.Kind kind) {
        return new PredictorTrainSettings(kind, 16, 2, 8, 128, 4, 256, 0.1, 2, 2,
                256, 100_000, 1e-4, 0.9, 0.999, 1e-8, 1e-4, 500, 1000, 5000, 3, 42);
    }

    public PredictorTrainSettings withNet(int d, int heads, int ff, double drop, int layers, int nBlocks) {
        return new PredictorTrainSettings(kind, horizon, nObsSteps, nActionSteps, d, heads, ff, drop, layers, nBlocks,
                batchSize, steps, lr, beta1, beta2, adamEps, weightDecay, warmupSteps, valEvery, checkpointEvery, keepLast, seed);
    }

    public PredictorTrainSettings withSchedule(int batch, long totalSteps, double baseLr, long warmup, int valEveryN, int checkpointEveryN) {
        return new PredictorTrainSettings(kind, horizon, nObsSteps, nActionSteps, dModel, nHeads, ffDim, dropout, encoderLayers,
                blocks, batch, totalSteps, baseLr, beta1, beta2, adamEps, weightDecay, warmup, valEveryN, checkpointEveryN, keepLast, seed);
    }

    public PredictorTrainSettings withHorizon(int h, int obsSteps, int actionSteps) {
        return new PredictorTrainSettings(kind, h, obsSteps, actionSteps, dModel, nHeads, ffDim, dropout, encoderLayers,
                blocks, batchSize, steps, lr, beta1, beta2, adamEps, weightDecay, warmupSteps, valEvery, checkpointEvery, keepLast, seed);
    }

    public PredictorNetConfig netConfig(int obsDim, int actionDim) {
        return new PredictorNetConfig(obsDim, actionDim, nObsSteps, horizon, dModel, nHeads, ffDim, dropout, encoderLayers, blocks, kind);
    }

    public Trainer.Settings trainerSettings() {
        return new Trainer.Settings(steps, warmupSteps, lr, new AdamW.Settings(beta1, beta2, adamEps, weightDecay),
                null, valEvery, checkpointEvery, keepLast, seed);
    }

    public String toYaml() {
        Map<String, Object> net = new LinkedHashMap<>();
        net.put("kind", kind.id());
        net.put("horizon", horizon);
        net.put("n_obs_steps", nObsSteps);
        net.put("n_action_steps", nActionSteps);
        net.put("d_model", dModel);
        net.put("n_heads", nHeads);
        net.put("ff_dim", ffDim);
        net.put("dropout", dropout);
        net.put("encoder_layers", encoderLayers);
        net.put("blocks", blocks);
        Map<String, Object> train = new LinkedHashMap<>();
        train.put("batch_size", batchSize);
        train.put("steps", steps);
        train.put("lr", lr);
        train.put("betas", java.util.List.of(beta1, beta2));
        train.put("eps", adamEps);
        train.put("weight_decay", weightDecay);
        train.put("lr_warmup_steps", warmupSteps);
        train.put("use_ema", false);
        train.put("val_every", valEvery);
        train.put("checkpoint_every", checkpointEvery);
        train.put("keep_last", keepLast);
        train.put("seed", seed);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("predictor", net);
        root.put("training", train);
        return DpTrainSettings.Yaml.write(root);
    }
}
