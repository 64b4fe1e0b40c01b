package org.steppolicy.models;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The image ops of {@link SameDiffBuilder}'s training rendering on pixel-major activations: a logical
 * {@code [B, C, H, W]} image is held as {@code [H, W, B, C]}, i.e. a contiguous {@code [H·W·B, C]} matrix, the 2-D
 * counterpart of {@link TimeMajorOps} (whose GroupNorm it reuses with length H·W). In that layout
 * <ul>
 *   <li>a convolution is im2col by k² strided slices along the two leading axes (each copies runs of B·C contiguous
 *       values) concatenated on channels, plus one GEMM {@code [Ho·Wo·B, kH·kW·Cin] × [kH·kW·Cin, Cout]}: the
 *       {@code [kH, kW, Cin, Cout]} weight is that matrix as it is;</li>
 *   <li>global average pooling is a GEMM with a ones row over the pixels;</li>
 *   <li>ReLU and the residual add are same-shape element-wise ops.</li>
 * </ul>
 * Why (docs/performance.md, "Image DP: convolutions as GEMMs"): libnd4j M2.1 (OpenBLAS build, no oneDNN) runs conv2d
 * and conv2d_bp with its own im2col and strided copies at ≈ 5 GFLOP/s; they were 88 % of the ResNet-18-GN step.
 */
final class PixelMajorOps {

    private final SameDiff sd;
    private final DataType dtype;

    PixelMajorOps(SameDiff sd, DataType dtype) {
        this.sd = sd;
        this.dtype = dtype;
    }

    /** Channels-first {@code [B, C, H, W]} to pixel-major {@code [H, W, B, C]} (the permutation is its own inverse). */
    SDVariable fromChannelsFirst(SDVariable x) {
        return sd.permute(x, 2, 3, 0, 1);
    }

    /** Pixel-major {@code [H, W, B, C]} back to channels-first {@code [B, C, H, W]}. */
    SDVariable toChannelsFirst(SDVariable x) {
        return sd.permute(x, 2, 3, 0, 1);
    }

    /**
     * Conv2d (PyTorch semantics, zero padding, no dilation) of pixel-major x {@code [H, W, B, Cin]} with weight
     * {@code [kH, kW, Cin, Cout]} and bias {@code [Cout]} or null. Returns {@code [Ho, Wo, B, Cout]}.
     */
    SDVariable conv2d(SDVariable x, long h, long w, long cin, SDVariable weight, long kh, long kw, long cout,
                      SDVariable bias, int stride, int padding) {
        long ho = (h + 2L * padding - kh) / stride + 1, wo = (w + 2L * padding - kw) / stride + 1;
        SDVariable xp = padding == 0 ? x
                : sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{padding, padding}, {padding, padding}, {0, 0}, {0, 0}})), 0.0);
        List<SDVariable> windows = new ArrayList<>();
        for (long dy = 0; dy < kh; dy++) {
            for (long dx = 0; dx < kw; dx++) {
                boolean whole = kh == 1 && kw == 1 && stride == 1 && padding == 0;   // a plain 1×1 convolution: no copy
                windows.add(whole ? xp : xp.get(window(dy, ho, stride), window(dx, wo, stride), SDIndex.all(), SDIndex.all()));
            }
        }
        SDVariable cols = windows.size() == 1 ? windows.get(0) : sd.concat(3, windows.toArray(new SDVariable[0]));
        long depth = kh * kw * cin;
        SDVariable rows = sd.reshape(cols, -1, depth), wm = sd.reshape(weight, depth, cout);
        SDVariable y = bias == null ? sd.mmul(rows, wm) : sd.nn.linear(rows, wm, bias);
        return sd.reshape(y, ho, wo, -1, cout);
    }

    private static SDIndex window(long from, long count, int stride) {
        long end = from + (count - 1) * stride + 1;
        return stride == 1 ? SDIndex.interval(from, end) : SDIndex.interval(from, (long) stride, end);
    }

    /** Mean over the pixels of x {@code [H, W, B, C]}: {@code [B, C]}, as one GEMM with the row 1/(H·W). */
    SDVariable globalAvgPool(SDVariable x, long h, long w, long channels) {
        long pixels = h * w;
        SDVariable mean = sd.constant(Nd4j.valueArrayOf(new long[] {1, pixels}, 1.0 / pixels, dtype));
        return sd.reshape(sd.mmul(mean, sd.reshape(x, pixels, -1)), -1, channels);
    }
}
