package org.steppolicy.models;

import java.util.Map;

/**
 * A BRIDGeR checkpoint's meta.json "arch": the U-Net and policy shape (as {@link DpArch}, whose keys it reuses) plus
 * what training fixed about the bridge: the source policy and the interpolant. The sampler's update rule and time
 * grid are inference settings (config bridger.sampler, bridger.time_grid), not part of the trained model.
 */
public record BridgerArch(DpArch policy, String source, StochasticInterpolant interpolant) {
    public static final String SOURCE = "bridger_source", INTERPOLANT = "interpolant", NOISE_SCALE = "noise_scale";

    public BridgerArch {
        if (!policy.obsAsGlobalCond()) throw new IllegalArgumentException("BRIDGeR needs obs_as_global_cond");
        if (!"gaussian".equals(source)) throw new IllegalArgumentException("unknown BRIDGeR source '" + source + "' (expected gaussian)");
    }

    public BridgerNet net() {
        return new BridgerNet(new ConditionalUnet1d(policy.unet(), policy.horizon()));
    }

    public Map<String, Object> toArch() {
        Map<String, Object> a = policy.toArch();
        a.put(SOURCE, source);
        a.put(INTERPOLANT, interpolant.shape().label());
        a.put(NOISE_SCALE, interpolant.noiseScale());
        return a;
    }

    public static BridgerArch fromArch(Map<String, Object> a) {
        if (!(a.get(SOURCE) instanceof String src) || !(a.get(INTERPOLANT) instanceof String shape)
                || !(a.get(NOISE_SCALE) instanceof Number d))
            throw new IllegalArgumentException("BRIDGeR arch lacks " + SOURCE + ", " + INTERPOLANT + " or " + NOISE_SCALE);
        return new BridgerArch(DpArch.fromArch(a), src,
                new StochasticInterpolant(StochasticInterpolant.Shape.parse(shape), d.doubleValue()));
    }
}
