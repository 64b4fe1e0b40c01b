package org.steppolicy.models;

import java.util.List;

/**
 * Diffusion Policy's image backbone: torchvision's ResNet-18 with {@code fc = Identity} (model_getter.get_resnet,
 * random init) and every BatchNorm2d replaced by {@code GroupNorm(C/16, C)} (multi_image_obs_encoder.py,
 * use_group_norm; pytorch_util.replace_submodules). Input {@code image} {@code [B, 3, H, W]} (Push-T: the 84×84
 * crop of the 96×96 frame, values in [0, 1]), output {@code features} {@code [B, 512]} after global average pooling.
 * Parameter names are torchvision's state_dict keys; the replaced norms keep the BatchNorm names ({@code bn1},
 * {@code downsample.1}) because the replacement is a setattr on the same attribute. 11,176,512 parameters
 * (torchvision's 11,689,512 less the 513,000 of fc; GroupNorm has the same affine parameters as BatchNorm).
 */
public final class ResNet18GroupNorm extends ImageEncoder {
    public static final int FEATURES = 512;
    /** replace_bn_with_gn: num_groups = num_features // 16. */
    static final int CHANNELS_PER_GROUP = 16;

    public ResNet18GroupNorm(int height, int width) {
        super(height, width);
        if (height < 32 || width < 32) throw new IllegalArgumentException("ResNet-18 needs at least 32×32 input, got " + height + "×" + width);
    }

    /** The backbone applied to {@code x}, parameters under {@code prefix} (e.g. {@code obs_encoder.key_model_map.image.}). */
    @Override
    public <T> T features(NetBuilder<T> b, String prefix, T x) {
        long h = out(height, 7, 2, 3), w = out(width, 7, 2, 3);
        x = Layers.conv2dResNet(b, prefix + "conv1", x, 3, 64, 7, 2, 3);
        x = b.relu(Layers.groupNorm2d(b, prefix + "bn1", x, 64 / CHANNELS_PER_GROUP, 64, h, w));
        x = b.maxPool2d(x, 3, 2, 1);
        h = out(h, 3, 2, 1);
        w = out(w, 3, 2, 1);
        int in = 64;
        int[] widths = {64, 128, 256, 512};
        for (int layer = 0; layer < 4; layer++) {
            int c = widths[layer];
            for (int block = 0; block < 2; block++) {
                int stride = layer > 0 && block == 0 ? 2 : 1;
                String p = prefix + "layer" + (layer + 1) + "." + block + ".";
                long h2 = out(h, 3, stride, 1), w2 = out(w, 3, stride, 1);
                T y = Layers.conv2dResNet(b, p + "conv1", x, in, c, 3, stride, 1);
                y = b.relu(Layers.groupNorm2d(b, p + "bn1", y, c / CHANNELS_PER_GROUP, c, h2, w2));
                y = Layers.conv2dResNet(b, p + "conv2", y, c, c, 3, 1, 1);
                y = Layers.groupNorm2d(b, p + "bn2", y, c / CHANNELS_PER_GROUP, c, h2, w2);
                T skip = x;
                if (stride != 1 || in != c) {
                    skip = Layers.conv2dResNet(b, p + "downsample.0", x, in, c, 1, stride, 0);
                    skip = Layers.groupNorm2d(b, p + "downsample.1", skip, c / CHANNELS_PER_GROUP, c, h2, w2);
                }
                x = b.relu(b.add(y, skip));
                in = c;
                h = h2;
                w = w2;
            }
        }
        return b.globalAvgPool2d(x);
    }

    private static long out(long size, int k, int stride, int padding) {
        return (size + 2L * padding - k) / stride + 1;
    }

    @Override
    public List<String> inputNames() { return List.of(INPUT); }

    @Override
    public String outputName() { return OUTPUT; }
}
