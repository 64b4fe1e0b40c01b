package org.steppolicy.models;

/**
 * Spatial softmax pooling, Diffusion Policy's replacement for global average pooling in its image encoder (the
 * paper's visual encoder; robomimic's VisualCore): a 1×1 convolution from the C feature channels to K keypoint
 * channels, a softmax over the H·W positions of each keypoint channel (temperature 1), and the expected x and y
 * coordinate of each keypoint, 2K values. Average pooling keeps what is in the frame but not where; these keep where.
 * Parameters {@code pool.keypoints.weight/bias} under the encoder's prefix (nn.Conv2d default init).
 */
public final class SpatialSoftmax {
    public static final String AVG = "avg", SPATIAL_SOFTMAX = "spatial_softmax";

    private SpatialSoftmax() {}

    /** Features of x {@code [B, channels, h, w]}: {@code [B, 2·keypoints]}, (x, y) per keypoint. */
    static <T> T pool(NetBuilder<T> b, String prefix, T x, int channels, int keypoints) {
        return b.spatialSoftmax(Layers.conv2d(b, prefix + "pool.keypoints", x, channels, keypoints, 1, 1, 0));
    }

    /**
     * The {@code [h·w, 2]} grid the expectation is taken on, row-major over positions (position {@code i·w + j} is
     * row i, column j): column 0 is x, from −1 at the left to 1 at the right; column 1 is y, from −1 at the top to 1
     * at the bottom (numpy's linspace(−1, 1, n); a single row or column sits at −1 as linspace(−1, 1, 1) does).
     */
    public static float[] coordinates(long h, long w) {
        float[] g = new float[(int) (2 * h * w)];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                int p = (int) (i * w + j);
                g[2 * p] = linspace(j, w);
                g[2 * p + 1] = linspace(i, h);
            }
        }
        return g;
    }

    private static float linspace(int i, long n) {
        return n == 1 ? -1f : (float) (-1 + 2.0 * i / (n - 1));
    }
}
