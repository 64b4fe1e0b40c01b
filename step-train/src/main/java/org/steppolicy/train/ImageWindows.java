package org.steppolicy.train;

import java.util.SplittableRandom;
import org.steppolicy.data.ImageCrop;
import org.steppolicy.data.ImageFrames;
import org.steppolicy.data.SequenceSampler;
import org.steppolicy.models.ImageObsSpec;

/**
 * The image half of a visuomotor training window: the frames of its To observation steps (edge-padded like the
 * sampler's low-dim rows), cropped to the spec's size and written as CHW floats in [0, 1]. Training crops at a
 * random position per window (one position for its To frames, drawn from (seed, step)), so resume stays exact;
 * validation and inference take the centre. Frames are decoded lazily by {@link ImageFrames}.
 */
public final class ImageWindows {
    private final SequenceSampler sampler;
    private final ImageFrames frames;
    private final ImageObsSpec spec;

    /** {@code frames} must list the sampler's episodes in the sampler's order. */
    public ImageWindows(SequenceSampler sampler, ImageFrames frames, ImageObsSpec spec) {
        if (frames.episodes() < 1 || frames.channels() != ImageObsSpec.CHANNELS)
            throw new IllegalArgumentException("image frames must be RGB, got " + frames.channels() + " channels");
        if (spec.height() > frames.height() || spec.width() > frames.width())
            throw new IllegalArgumentException("crop " + spec.height() + "×" + spec.width() + " larger than the frames "
                    + frames.height() + "×" + frames.width());
        this.sampler = sampler;
        this.frames = frames;
        this.spec = spec;
    }

    public ImageObsSpec spec() { return spec; }

    public ImageFrames frames() { return frames; }

    /**
     * Writes the flat observation window of sampler window {@code window}: per step s of To, the step's low-dim
     * values (from {@code lowDim}, [To, lowDim] at lowOff) and then its cropped frame, into {@code out[off..]}.
     * {@code rng} null: centre crop.
     */
    public void fill(int window, float[] low, int lowOff, SplittableRandom rng, float[] out, int off) {
        int to = sampler.nObsSteps(), ld = spec.lowDim(), step = spec.stepDim();
        int top, left;
        if (rng == null) {
            top = ImageCrop.centre(frames.height(), spec.height());
            left = ImageCrop.centre(frames.width(), spec.width());
        } else {
            top = rng.nextInt(frames.height() - spec.height() + 1);
            left = rng.nextInt(frames.width() - spec.width() + 1);
        }
        SequenceSampler.Window w = sampler.window(window);
        byte[] ep = frames.episodeFrames(w.episode());
        for (int s = 0; s < to; s++) {
            int o = off + s * step;
            System.arraycopy(low, lowOff + s * ld, out, o, ld);
            ImageCrop.toChw(ep, frames.offset(w.episode(), w.start() + s), frames.height(), frames.width(),
                    frames.channels(), top, left, spec.height(), spec.width(), out, o + ld);
        }
    }

    /** The crop stream of one training step. */
    public static SplittableRandom cropRandom(long seed, long step) {
        return StepRandom.of(seed, step, StepRandom.CROP);
    }
}
