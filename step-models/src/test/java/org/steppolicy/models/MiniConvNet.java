package org.steppolicy.models;

import java.util.List;

/**
 * A small network with every image op of the encoders, for the PyTorch fixture (scripts/torch_conv_fixture.py, same
 * names): ResNet18GroupNorm's 7×7/2 stem + GroupNorm + ReLU + 3×3/2 max pooling, a stride-2 BasicBlock with its 1×1
 * downsample, an identity BasicBlock, SmallConvEncoder's biased 3×3/2 convolution + ReLU, then global average pooling
 * beside {@link SpatialSoftmax} pooling with 3 keypoints, concatenated.
 * Input {@code image} {@code [B, 3, 24, 22]}, output {@code features} {@code [B, 8 + 6]}; 10,731 parameters.
 */
final class MiniConvNet implements NetworkDefinition {
    static final int H = 24, W = 22;

    @Override
    public <T> void define(NetBuilder<T> b) {
        T x = Layers.conv2dResNet(b, "conv1", b.input("image", -1, 3, H, W), 3, 8, 7, 2, 3);   // [12, 11]
        x = b.maxPool2d(b.relu(Layers.groupNorm2d(b, "bn1", x, 2, 8, 12, 11)), 3, 2, 1);       // [6, 6]
        x = block(b, "layer.0.", x, 8, 16, 2, 6);                                                 // [3, 3]
        x = block(b, "layer.1.", x, 16, 16, 1, 3);
        x = b.relu(Layers.conv2d(b, "head", x, 16, 8, 3, 2, 1));                                  // [2, 2]
        b.output("features", b.concat(1, List.of(b.globalAvgPool2d(x), SpatialSoftmax.pool(b, "", x, 8, 3))));
    }

    private static <T> T block(NetBuilder<T> b, String p, T x, int in, int c, int stride, long size) {
        long s2 = (size + 2 - 3) / stride + 1;
        T y = b.relu(Layers.groupNorm2d(b, p + "bn1", Layers.conv2dResNet(b, p + "conv1", x, in, c, 3, stride, 1), c / 4, c, s2, s2));
        y = Layers.groupNorm2d(b, p + "bn2", Layers.conv2dResNet(b, p + "conv2", y, c, c, 3, 1, 1), c / 4, c, s2, s2);
        T skip = x;
        if (stride != 1 || in != c) {
            skip = Layers.groupNorm2d(b, p + "downsample.1", Layers.conv2dResNet(b, p + "downsample.0", x, in, c, 1, stride, 0),
                    c / 4, c, s2, s2);
        }
        return b.relu(b.add(y, skip));
    }

    @Override
    public List<String> inputNames() { return List.of("image"); }

    @Override
    public String outputName() { return "features"; }
}
