package org.steppolicy.infer.runtime;

import org.steppolicy.data.DatasetNormalizer;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.infer.SchedulerConfig;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.ImageObsEncoder;
import org.steppolicy.models.TensorStore;

/**
 * A policy before a runtime is chosen: the shape, the DP's U-Net definition with its (EMA) weights and
 * normaliser, the noise scheduler it was trained with, and optionally a predictor. Immutable: many runtime instances
 * may be opened from one bundle. {@link PolicyLoader} turns it
 * into runnable {@link org.steppolicy.infer.PolicyModels}; {@link OnnxExport} writes it out.
 */
public record PolicyBundle(PolicyShape shape, ConditionalUnet1d dp, TensorStore dpParams, DatasetNormalizer normalization,
                           SchedulerConfig scheduler, PredictorBundle predictor, ImageObsEncoder encoder, BridgerBundle bridger) {

    /** A policy without a BRIDGeR model beside it. */
    public PolicyBundle(PolicyShape shape, ConditionalUnet1d dp, TensorStore dpParams, DatasetNormalizer normalization,
                        SchedulerConfig scheduler, PredictorBundle predictor, ImageObsEncoder encoder) {
        this(shape, dp, dpParams, normalization, scheduler, predictor, encoder, null);
    }

    public PolicyBundle {
        if (dp.horizon() != shape.horizon())
            throw new IllegalArgumentException("U-Net horizon " + dp.horizon() + " differs from the policy horizon " + shape.horizon());
        if (encoder != null && encoder.spec().stepDim() != shape.obsDim())
            throw new IllegalArgumentException("image observation step has " + encoder.spec().stepDim() + " values, the policy " + shape.obsDim());
    }

    /** A low-dim policy (no observation encoder). */
    public PolicyBundle(PolicyShape shape, ConditionalUnet1d dp, TensorStore dpParams, DatasetNormalizer normalization,
                        SchedulerConfig scheduler, PredictorBundle predictor) {
        this(shape, dp, dpParams, normalization, scheduler, predictor, null);
    }

    /** The number of training diffusion steps (the scheduler's). */
    public int trainTimesteps() { return scheduler.trainSteps(); }

    public boolean inpainting() { return dp.config().inpainting(); }

    /** An image policy: observations carry pixels and {@link #encoder()} turns them into the U-Net's condition. */
    public boolean hasImages() { return encoder != null; }

    public PolicyBundle withPredictor(PredictorBundle p) {
        return new PolicyBundle(shape, dp, dpParams, normalization, scheduler, p, encoder, bridger);
    }

    /** This policy with a BRIDGeR model beside it (bridger:K; docs/bridger.md), or none (null). */
    public PolicyBundle withBridger(BridgerBundle b) {
        return new PolicyBundle(shape, dp, dpParams, normalization, scheduler, predictor, encoder, b);
    }
}
