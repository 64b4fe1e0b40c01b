package org.steppolicy.infer.runtime;

import org.steppolicy.infer.PolicyNormalization;
import org.steppolicy.infer.PolicyShape;
import org.steppolicy.models.ConditionalUnet1d;
import org.steppolicy.models.TensorStore;

/**
 * A policy before a runtime is chosen: the shape, the DP's U-Net definition with its (EMA) weights and
 * normaliser, the number of training diffusion steps, and optionally a predictor. {@link PolicyLoader} turns it
 * into runnable {@link org.steppolicy.infer.PolicyModels}; {@link OnnxExport} writes it out.
 */
public record PolicyBundle(PolicyShape shape, ConditionalUnet1d dp, TensorStore dpParams, PolicyNormalization normalization,
                           int trainTimesteps, PredictorBundle predictor) {

    public PolicyBundle {
        if (dp.horizon() != shape.horizon())
            throw new IllegalArgumentException("U-Net horizon " + dp.horizon() + " differs from the policy horizon " + shape.horizon());
    }

    public boolean inpainting() { return dp.config().inpainting(); }

    public PolicyBundle withPredictor(PredictorBundle p) {
        return new PolicyBundle(shape, dp, dpParams, normalization, trainTimesteps, p);
    }
}
