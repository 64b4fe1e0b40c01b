package org.steppolicy.models;

import java.util.Map;

/**
 * A BRIDGeR checkpoint's meta.json "arch": the U-Net and policy shape (as {@link DpArch}, whose keys it reuses) plus
 * what training fixed about the bridge: the source policy and the interpolant. The sampler's update rule and time
 * grid are inference settings (config bridger.sampler, bridger.time_grid), not part of the trained model.
 *
 * @param cvae the CVAE source's decoder shape when the source is {@value #CVAE}; null for {@value #GAUSSIAN}
 */
public record BridgerArch(DpArch policy, String source, StochasticInterpolant interpolant, CvaeArch cvae) {
    public static final String SOURCE = "bridger_source", INTERPOLANT = "interpolant", NOISE_SCALE = "noise_scale";
    public static final String GAUSSIAN = "gaussian", CVAE = "cvae";

    public BridgerArch {
        if (!policy.obsAsGlobalCond()) throw new IllegalArgumentException("BRIDGeR needs obs_as_global_cond");
        if (!GAUSSIAN.equals(source) && !CVAE.equals(source))
            throw new IllegalArgumentException("unknown BRIDGeR source '" + source + "' (expected gaussian or cvae)");
        if (CVAE.equals(source) != (cvae != null))
            throw new IllegalArgumentException("a BRIDGeR " + source + " source " + (cvae == null ? "needs" : "takes no") + " CVAE shape");
    }

    /** A gaussian-source BRIDGeR. */
    public BridgerArch(DpArch policy, String source, StochasticInterpolant interpolant) {
        this(policy, source, interpolant, null);
    }

    public BridgerNet net() {
        return new BridgerNet(new ConditionalUnet1d(policy.unet(), policy.horizon()));
    }

    public Map<String, Object> toArch() {
        Map<String, Object> a = policy.toArch();
        a.put(SOURCE, source);
        a.put(INTERPOLANT, interpolant.shape().label());
        a.put(NOISE_SCALE, interpolant.noiseScale());
        if (cvae != null) cvae.putArch(a);   // gaussian checkpoints keep their keys as before
        return a;
    }

    public static BridgerArch fromArch(Map<String, Object> a) {
        if (!(a.get(SOURCE) instanceof String src) || !(a.get(INTERPOLANT) instanceof String shape)
                || !(a.get(NOISE_SCALE) instanceof Number d))
            throw new IllegalArgumentException("BRIDGeR arch lacks " + SOURCE + ", " + INTERPOLANT + " or " + NOISE_SCALE);
        DpArch policy = DpArch.fromArch(a);
        CvaeArch cvae = CVAE.equals(src) ? cvaeFor(policy, a) : null;
        return new BridgerArch(policy, src, new StochasticInterpolant(StochasticInterpolant.Shape.parse(shape), d.doubleValue()), cvae);
    }

    /** The CVAE of a BRIDGeR policy with this shape: chunks [horizon, action_dim], condition n_obs_steps·obs_dim. */
    public static CvaeArch cvaeFor(DpArch policy, Map<String, Object> a) {
        return CvaeArch.fromArch(a, policy.horizon(), policy.actionDim(), policy.nObsSteps() * policy.obsDim());
    }
}
