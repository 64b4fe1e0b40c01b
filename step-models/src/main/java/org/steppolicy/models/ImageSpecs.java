package org.steppolicy.models;

import java.util.List;
import org.steppolicy.config.StepConfig;
import org.steppolicy.config.UserError;

/** The image layouts a visuomotor config (task.image_key set) implies, for training, loading and export alike. */
public final class ImageSpecs {
    private ImageSpecs() {}

    /** The DP's: policy.obs_encoder (pooled as policy.image_pool says) on the task.crop_shape crops; null for a low-dim config. */
    public static ImageObsSpec dp(StepConfig c) {
        if (!c.task().hasImages()) return null;
        var p = c.policy();
        if (SpatialSoftmax.SPATIAL_SOFTMAX.equals(p.imagePool()) && !ImageObsSpec.SMALL_CONV.equals(p.obsEncoder()))
            throw new UserError("policy.image_pool: spatial_softmax is implemented for policy.obs_encoder: small_conv only, not " + p.obsEncoder());
        return new ImageObsSpec(c.task().obsDim(), crop(c, 0), crop(c, 1), p.obsEncoder(), p.obsFeatureDim(), p.imagePool(),
                p.spatialSoftmaxKeypoints());
    }

    /** The predictor's: STEP's small conv encoder (predictor.image_feature_dim) on the same crops; null for low-dim. */
    public static ImageObsSpec predictor(StepConfig c) {
        if (!c.task().hasImages()) return null;
        return new ImageObsSpec(c.task().obsDim(), crop(c, 0), crop(c, 1), ImageObsSpec.SMALL_CONV, c.predictor().imageFeatureDim());
    }

    /** Values per observation step the policy sees: the low-dim keys, plus the crop's pixels. */
    public static int stepDim(StepConfig c) {
        ImageObsSpec s = dp(c);
        return s == null ? c.task().obsDim() : s.stepDim();
    }

    private static int crop(StepConfig c, int axis) {
        List<Integer> cs = c.task().cropShape();
        if (cs == null || cs.size() != 2 || cs.get(0) < 1 || cs.get(1) < 1)
            throw new UserError("task.crop_shape must be [height, width], got " + cs);
        return cs.get(axis);
    }
}
