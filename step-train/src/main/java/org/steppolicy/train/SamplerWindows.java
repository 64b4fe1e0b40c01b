package org.steppolicy.train;

import org.steppolicy.data.SequenceSampler;

/** The data layer's {@link SequenceSampler} (normalised at construction) as the trainers' window source. */
public final class SamplerWindows implements WindowSource {
    private final SequenceSampler sampler;

    public SamplerWindows(SequenceSampler sampler) {
        this.sampler = sampler;
    }

    @Override public int size() { return sampler.size(); }
    @Override public int horizon() { return sampler.horizon(); }
    @Override public int obsDim() { return sampler.obsDim(); }
    @Override public int actionDim() { return sampler.actionDim(); }

    @Override
    public void window(int i, float[] obs, int obsOffset, float[] action, int actionOffset, float[] prev, int prevOffset) {
        // all horizon obs rows: global conditioning uses the first To, inpainting all of them
        sampler.fill(i, obs, obsOffset, sampler.horizon(), action, actionOffset, prev, prevOffset);
    }
}
