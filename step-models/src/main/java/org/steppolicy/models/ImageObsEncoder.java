package org.steppolicy.models;

import java.util.List;

/**
 * The observation encoder of an image Diffusion Policy: the To flat observation steps ({@link ImageObsSpec}) to the
 * U-Net's global condition, per step [image features, low-dim values], flattened time-major (the reference's
 * obs_encoder output order: rgb keys, then low-dim keys). Parameters under {@value #PREFIX}.
 *
 * <p>Graph input {@value #INPUT} {@code [B, To·stepDim]}, output {@value #OUTPUT} {@code [B, To·(F + lowDim)]}. It is
 * the first half of {@link ImageDiffusionPolicy} (trained end to end with the U-Net) and runs on its own at inference,
 * once per control step instead of once per denoising step.
 */
public final class ImageObsEncoder implements NetworkDefinition {
    public static final String INPUT = "global_cond";
    public static final String OUTPUT = "obs_features";
    public static final String PREFIX = "obs_encoder.";

    private final ImageObsSpec spec;
    private final int nObsSteps;

    public ImageObsEncoder(ImageObsSpec spec, int nObsSteps) {
        if (nObsSteps < 1) throw new IllegalArgumentException("n_obs_steps must be >= 1");
        this.spec = spec;
        this.nObsSteps = nObsSteps;
    }

    public ImageObsSpec spec() { return spec; }

    public int nObsSteps() { return nObsSteps; }

    /** Values of the flat observation window, To·stepDim. */
    public int inputDim() { return nObsSteps * spec.stepDim(); }

    /** The U-Net's global condition size, To·(F + lowDim). */
    public int outputDim() { return nObsSteps * spec.encodedStepDim(); }

    @Override
    public <T> void define(NetBuilder<T> b) {
        T obs = b.input(INPUT, -1, inputDim());
        b.output(OUTPUT, encode(b, obs));
    }

    /** {@code obs} {@code [B, To·stepDim]} to {@code [B, To·(F + lowDim)]}. */
    public <T> T encode(NetBuilder<T> b, T obs) {
        T perStep = spec.encodeSteps(b, PREFIX, b.reshape(obs, -1, spec.stepDim()));   // [B·To, F + lowDim]
        return b.reshape(perStep, -1, outputDim());
    }

    @Override
    public List<String> inputNames() { return List.of(INPUT); }

    @Override
    public String outputName() { return OUTPUT; }
}
