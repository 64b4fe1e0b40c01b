package org.steppolicy.models;

import java.util.List;

/**
 * The STEP predictor's image encoder (public STEP code, model/vision/small_conv_encoder.py): four
 * {@code Conv2d(k 3, stride 2, padding 1) + ReLU} layers with 32, 64, 128, 128 channels, global average pooling and
 * {@code head = Linear(128, embed)}. Input {@code image} {@code [B, 3, H, W]}, output {@code features}
 * {@code [B, embed]}. PyTorch default init; names {@code net.0/2/4/6.*} and {@code head.*} as in its state_dict.
 * 257,344 parameters at embed 128.
 *
 * <p>With {@code keypoints} K > 0 the global average pooling becomes {@link SpatialSoftmax} (policy.image_pool:
 * spatial_softmax): {@code pool.keypoints} Conv2d(128, K, 1), then 2K keypoint coordinates, and the head takes those,
 * {@code Linear(2K, embed)}. The head stays a Linear without activation, as robomimic's VisualCore (the encoder
 * Diffusion Policy uses) and as with average pooling here, so the pooling is the only difference between the two.
 */
public final class SmallConvEncoder extends ImageEncoder {
    static final int[] CHANNELS = {32, 64, 128, 128};

    private final int embed, keypoints;

    /** With global average pooling. */
    public SmallConvEncoder(int height, int width, int embed) {
        this(height, width, embed, 0);
    }

    /** {@code keypoints} 0: global average pooling; K > 0: spatial softmax with K keypoints. */
    public SmallConvEncoder(int height, int width, int embed, int keypoints) {
        super(height, width);
        if (height < 1 || width < 1 || embed < 1 || keypoints < 0)
            throw new IllegalArgumentException("bad encoder size " + height + "×" + width + " → " + embed + ", keypoints " + keypoints);
        this.embed = embed;
        this.keypoints = keypoints;
    }

    /** The encoder applied to {@code x}, parameters under {@code prefix}. */
    @Override
    public <T> T features(NetBuilder<T> b, String prefix, T x) {
        int in = 3;
        for (int i = 0; i < CHANNELS.length; i++) {
            // nn.Sequential indices: conv at 0, 2, 4, 6 with the ReLUs between
            x = b.relu(Layers.conv2d(b, prefix + "net." + (2 * i), x, in, CHANNELS[i], 3, 2, 1));
            in = CHANNELS[i];
        }
        if (keypoints == 0) return Layers.linear(b, prefix + "head", b.globalAvgPool2d(x), in, embed);
        return Layers.linear(b, prefix + "head", SpatialSoftmax.pool(b, prefix, x, in, keypoints), 2 * keypoints, embed);
    }

    @Override
    public List<String> inputNames() { return List.of(INPUT); }

    @Override
    public String outputName() { return OUTPUT; }
}
