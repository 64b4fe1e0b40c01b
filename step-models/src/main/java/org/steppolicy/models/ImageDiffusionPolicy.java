package org.steppolicy.models;

import java.util.List;

/**
 * An image Diffusion Policy as one trainable network: {@link ImageObsEncoder} feeding a {@link ConditionalUnet1d}
 * whose global condition is the encoder's output (so the encoder trains end to end with the U-Net, and EMA covers
 * it). Same graph inputs and output as the low-dim U-Net ({@code sample}, {@code timestep}, {@code global_cond}
 * → {@code noise_pred}); only {@code global_cond} is the flat observation window with its pixels. Encoder
 * parameters under {@code obs_encoder.}, U-Net parameters under the U-Net's own names, so both halves render on
 * their own from the same store at inference.
 */
public final class ImageDiffusionPolicy implements NetworkDefinition {
    private final ImageObsEncoder encoder;
    private final ConditionalUnet1d unet;

    public ImageDiffusionPolicy(ImageObsEncoder encoder, ConditionalUnet1d unet) {
        if (unet.config().inpainting() || unet.config().globalCondDim() != encoder.outputDim())
            throw new IllegalArgumentException("U-Net global condition " + unet.config().globalCondDim()
                    + " must equal the encoder's output " + encoder.outputDim());
        this.encoder = encoder;
        this.unet = unet;
    }

    public ImageObsEncoder encoder() { return encoder; }

    public ConditionalUnet1d unet() { return unet; }

    @Override
    public <T> void define(NetBuilder<T> b) {
        T sample = b.input(ConditionalUnet1d.SAMPLE, -1, unet.horizon(), unet.config().inputDim());
        T timestep = b.input(ConditionalUnet1d.TIMESTEP, -1);
        T obs = b.input(ConditionalUnet1d.GLOBAL_COND, -1, encoder.inputDim());
        b.output(ConditionalUnet1d.NOISE_PRED, unet.denoise(b, sample, timestep, encoder.encode(b, obs)));
    }

    @Override
    public List<String> inputNames() { return List.of(ConditionalUnet1d.SAMPLE, ConditionalUnet1d.TIMESTEP, ConditionalUnet1d.GLOBAL_COND); }

    @Override
    public String outputName() { return ConditionalUnet1d.NOISE_PRED; }
}
