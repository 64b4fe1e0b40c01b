package org.steppolicy.infer;

import org.steppolicy.data.DatasetNormalizer;

/**
 * Checks that a DP, a predictor, their normalisers and a method fit together, so that a mismatch is one clear error
 * before any rollout instead of garbage actions. Every failure is an IllegalArgumentException with a one-line message.
 */
public final class CompatibilityCheck {
    /** Checkpoints written by the same normaliser fit agree to float precision; JSON may lose the last bits. */
    private static final double NORMALIZER_REL_TOL = 1e-5;

    private CompatibilityCheck() {}

    /** The DP alone: horizon, conditioning layout and normaliser dims. */
    public static void checkDenoiser(PolicyShape shape, Denoiser dp, DatasetNormalizer dpNorm) {
        if (dp.horizon() != shape.horizon())
            fail("DP horizon is " + dp.horizon() + " but the config says " + shape.horizon());
        if (dp.condDim() == 0) {
            int want = shape.actionDim() + shape.obsDim();
            if (dp.inputDim() != want)
                fail("inpainting DP has " + dp.inputDim() + " trajectory channels, expected action " + shape.actionDim()
                        + " + obs " + shape.obsDim() + " = " + want);
        } else {
            if (dp.inputDim() != shape.actionDim())
                fail("DP action dim is " + dp.inputDim() + " but the config says " + shape.actionDim());
            if (dp.condDim() != shape.condDim())
                fail("DP condition has " + dp.condDim() + " values, expected To*Do = " + shape.obsSteps() + "*"
                        + shape.obsDim() + " = " + shape.condDim());
        }
        if (dpNorm.obs().dim() != shape.obsDim())
            fail("DP obs normaliser has " + dpNorm.obs().dim() + " dims, expected " + shape.obsDim());
        if (dpNorm.action().dim() != shape.actionDim())
            fail("DP action normaliser has " + dpNorm.action().dim() + " dims, expected " + shape.actionDim());
    }

    /** The predictor against the DP: horizon, action dim and the very same normaliser. */
    public static void checkPredictor(PolicyShape shape, DatasetNormalizer dpNorm, ChunkPredictor predictor,
                                      DatasetNormalizer predictorNorm) {
        if (predictor.horizon() != shape.horizon())
            fail("predictor horizon is " + predictor.horizon() + " but the DP's is " + shape.horizon());
        if (predictor.actionDim() != shape.actionDim())
            fail("predictor action dim is " + predictor.actionDim() + " but the DP's is " + shape.actionDim());
        if (!predictorNorm.obs().sameAs(dpNorm.obs(), NORMALIZER_REL_TOL))
            fail("predictor obs normaliser differs from the DP's (trained on different data or normaliser mode)");
        if (!predictorNorm.action().sameAs(dpNorm.action(), NORMALIZER_REL_TOL))
            fail("predictor action normaliser differs from the DP's (trained on different data or normaliser mode)");
    }

    /** Everything a method needs; predictor and predictorNorm may be null for methods that use none. */
    public static void check(MethodConfig method, PolicyShape shape, Denoiser dp, DatasetNormalizer dpNorm,
                             ChunkPredictor predictor, DatasetNormalizer predictorNorm) {
        check(method, shape, dp, dpNorm, predictor, predictorNorm, null);
    }

    /** As above, with the BRIDGeR model bridger:K needs (null when none is loaded). */
    public static void check(MethodConfig method, PolicyShape shape, Denoiser dp, DatasetNormalizer dpNorm,
                             ChunkPredictor predictor, DatasetNormalizer predictorNorm, BridgerModel bridger) {
        checkDenoiser(shape, dp, dpNorm);
        if (method.method() == Method.BRIDGER) {
            if (bridger == null)
                fail(MissingPredictor.message(method.label(), Method.BRIDGER_KIND, "the policy", java.util.List.of()));
            checkBridger(shape, dpNorm, bridger);
        }
        if (method.method().usesPredictor()) {
            if (predictor == null) fail(MissingPredictor.message(method.label(), method.method().predictorKind(), "the policy", java.util.List.of()));
            if (predictorNorm == null) fail("method " + method.label() + " needs the predictor's normaliser");
            checkPredictor(shape, dpNorm, predictor, predictorNorm);
            if (method.method() == Method.STEP && !predictor.usesPreviousChunk())
                fail("method " + method.label() + " needs a spatiotemporal predictor (kind=step), got an obs-only one");
            if (method.method() == Method.SPATIAL && predictor.usesPreviousChunk())
                fail("method " + method.label() + " needs an obs-only predictor (kind=spatial), got a spatiotemporal one");
        }
    }

    /** A BRIDGeR model against the policy: shapes and the very same normaliser. */
    public static void checkBridger(PolicyShape shape, DatasetNormalizer dpNorm, BridgerModel b) {
        BridgeNetwork n = b.network();
        if (n.horizon() != shape.horizon() || n.actionDim() != shape.actionDim() || n.condDim() != shape.condDim())
            fail("BRIDGeR model has horizon " + n.horizon() + ", action dim " + n.actionDim() + ", condition " + n.condDim()
                    + "; the DP's are " + shape.horizon() + ", " + shape.actionDim() + ", " + shape.condDim());
        if (!b.normalization().obs().sameAs(dpNorm.obs(), NORMALIZER_REL_TOL) || !b.normalization().action().sameAs(dpNorm.action(), NORMALIZER_REL_TOL))
            fail("BRIDGeR normaliser differs from the DP's (trained on different data or normaliser mode)");
    }

    private static void fail(String message) {
        throw new IllegalArgumentException(message);
    }
}
