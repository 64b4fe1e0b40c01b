package org.steppolicy.infer.runtime;

import java.util.Map;
import org.steppolicy.config.StepConfig;
import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.models.Checkpoint;
import org.steppolicy.models.PredictorNetConfig;
import org.steppolicy.models.StepPredictorNet;
import org.steppolicy.models.TensorStore;

/**
 * The warm-start predictor from a predictor checkpoint or from a config (random weights). The checkpoint's
 * meta.json "arch" carries the {@link PredictorNetConfig} fields in snake_case (kind, obs_dim, action_dim,
 * n_obs_steps, horizon, d_model, n_heads, dim_feedforward, dropout, encoder_layers, blocks).
 */
final class PredictorLoader {
    private PredictorLoader() {}

    static PredictorBundle fromCheckpoint(Checkpoint c) {
        // The architecture is read where the checkpoint format lives (Checkpoint), not keyed here a second time.
        PredictorNetConfig cfg = c.predictorConfig();
        DatasetNormalizer norm = NormalizerJson.parse(c.normalizerJson(), c.dir().resolve(Checkpoint.NORMALIZER).toString());
        if (cfg.image() != null) norm = PolicyLoader.withPixels(norm, cfg.image());
        return bundle(cfg, c.evalParams(), norm);
    }

    static PredictorBundle randomWeights(StepConfig c, long seed, DatasetNormalizer norm) {
        var t = c.task();
        var p = c.predictor();
        PredictorNetConfig cfg = new PredictorNetConfig(t.obsDim(), t.actionDim(), t.nObsSteps(), t.horizon(), p.dModel(),
                p.nHeads(), p.dimFeedforward(), p.dropout(), p.encoderLayers(), p.blocks(), PredictorNetConfig.Kind.parse(p.kind()));
        if (org.steppolicy.models.ImageSpecs.predictor(c) != null) cfg = cfg.withImage(org.steppolicy.models.ImageSpecs.predictor(c));
        return bundle(cfg, new StepPredictorNet(cfg).initParams(seed), norm);
    }

    static PredictorBundle bundle(PredictorNetConfig cfg, TensorStore params, DatasetNormalizer norm) {
        return new PredictorBundle(new StepPredictorNet(cfg), params, cfg.kind().id(), cfg.usesPreviousChunk(),
                cfg.horizon(), cfg.actionDim(), norm);
    }
}
