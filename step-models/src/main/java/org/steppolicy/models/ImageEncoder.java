package org.steppolicy.models;

/**
 * An image backbone ({@link ResNet18GroupNorm}, {@link SmallConvEncoder}) for {@code height}×{@code width} input:
 * {@code image} {@code [B, 3, H, W]} to {@code features} {@code [B, F]}. As a network of its own it is just
 * {@link #features} between that input and output; a policy applies {@link #features} inside its own graph
 * (ImageObsSpec#encode).
 */
public abstract class ImageEncoder implements NetworkDefinition {
    public static final String INPUT = "image";
    public static final String OUTPUT = "features";

    protected final int height, width;

    protected ImageEncoder(int height, int width) {
        this.height = height;
        this.width = width;
    }

    /** The encoder applied to {@code x}, parameters under {@code prefix} (e.g. {@code obs_encoder.key_model_map.image.}). */
    public abstract <T> T features(NetBuilder<T> b, String prefix, T x);

    @Override
    public final <T> void define(NetBuilder<T> b) {
        T x = b.input(INPUT, -1, 3, height, width);
        b.output(OUTPUT, features(b, "", x));
    }
}
