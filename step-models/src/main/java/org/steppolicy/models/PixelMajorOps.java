package org.steppolicy.models;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The image ops of {@link SameDiffBuilder}'s training rendering on pixel-major activations: a logical
 * {@code [B, C, H, W]} image is held as the matrix {@code [H·W·B, C]} (pixel, then sample, then channel), the 2-D
 * counterpart of {@link TimeMajorOps} (whose GroupNorm it reuses with length H·W). Values stay 2-D between ops
 * because SameDiff's reshape copies; only a convolution's input is seen as {@code [H, W, B, C]}. In that layout
 * <ul>
 *   <li>a convolution is im2col by k² strided slices along the two leading axes (each copies runs of B·C contiguous
 *       values) concatenated on channels, plus one GEMM {@code [Ho·Wo·B, kH·kW·Cin] × [kH·kW·Cin, Cout]}: the
 *       {@code [kH, kW, Cin, Cout]} weight is that matrix as it is;</li>
 *   <li>global average pooling is a GEMM with a ones row over the pixels; spatial softmax a softmax down the
 *       columns of {@code [H·W, B·K]} and a GEMM with the coordinate grid;</li>
 *   <li>max pooling is ND4J's NHWC pooling on the same memory seen as one sample {@code [1, H, W, B·C]};</li>
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

    /** Channels-first {@code [B, C, H, W]} to pixel-major {@code [H·W·B, C]}. */
    SDVariable fromChannelsFirst(SDVariable x, long channels) {
        return sd.reshape(sd.permute(x, 2, 3, 0, 1), -1, channels);
    }

    /** Pixel-major {@code [H·W·B, C]} back to channels-first {@code [B, C, H, W]}. */
    SDVariable toChannelsFirst(SDVariable x, long h, long w, long channels) {
        return sd.permute(sd.reshape(x, h, w, -1, channels), 2, 3, 0, 1);
    }

    /**
     * Conv2d (PyTorch semantics, zero padding, no dilation) of pixel-major x {@code [H·W·B, Cin]} with weight
     * {@code [kH, kW, Cin, Cout]} and bias {@code [Cout]} or null. Returns {@code [Ho·Wo·B, Cout]}.
     */
    SDVariable conv2d(SDVariable x, long h, long w, long cin, SDVariable weight, long kh, long kw, long cout,
                      SDVariable bias, int stride, int padding) {
        long ho = (h + 2L * padding - kh) / stride + 1, wo = (w + 2L * padding - kw) / stride + 1;
        long depth = kh * kw * cin;
        SDVariable wm = sd.reshape(weight, depth, cout);
        if (kh == 1 && kw == 1 && stride == 1 && padding == 0) {   // a plain 1×1 convolution: the GEMM alone
            return bias == null ? sd.mmul(x, wm) : sd.nn.linear(x, wm, bias);
        }
        SDVariable x4 = sd.reshape(x, h, w, -1, cin);
        SDVariable xp = padding == 0 ? x4
                : sd.nn.pad(x4, sd.constant(Nd4j.createFromArray(new int[][] {{padding, padding}, {padding, padding}, {0, 0}, {0, 0}})), 0.0);
        List<SDVariable> windows = new ArrayList<>();
        for (long dy = 0; dy < kh; dy++) {
            for (long dx = 0; dx < kw; dx++) {
                windows.add(xp.get(window(dy, ho, stride), window(dx, wo, stride), SDIndex.all(), SDIndex.all()));
            }
        }
        SDVariable cols = windows.size() == 1 ? windows.get(0) : sd.concat(3, windows.toArray(new SDVariable[0]));
        SDVariable rows = sd.reshape(cols, -1, depth);
        return bias == null ? sd.mmul(rows, wm) : sd.nn.linear(rows, wm, bias);
    }

    private static SDIndex window(long from, long count, int stride) {
        long end = from + (count - 1) * stride + 1;
        return stride == 1 ? SDIndex.interval(from, end) : SDIndex.interval(from, (long) stride, end);
    }

    /**
     * Max pooling (square window, padded cells never win) of pixel-major x {@code [H·W·B, C]}: ND4J's NHWC pooling of
     * {@code [1, H, W, B·C]}, the same memory, so no permute is needed. Returns {@code [Ho·Wo·B, C]}.
     */
    SDVariable maxPool2d(SDVariable x, long h, long w, long channels, int kernel, int stride, int padding) {
        Pooling2DConfig c = Pooling2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).isNHWC(true).build();
        return sd.reshape(sd.cnn.maxPooling2d(sd.reshape(x, 1, h, w, -1), c), -1, channels);
    }

    /** Mean over the pixels of x {@code [H·W·B, C]}: {@code [B, C]}, as one GEMM with the row 1/(H·W). */
    SDVariable globalAvgPool(SDVariable x, long h, long w, long channels) {
        long pixels = h * w;
        SDVariable mean = sd.constant(Nd4j.valueArrayOf(new long[] {1, pixels}, 1.0 / pixels, dtype));
        return sd.reshape(sd.mmul(mean, sd.reshape(x, pixels, -1)), -1, channels);
    }

    /**
     * Spatial softmax of x {@code [H·W·B, K]}: the same memory is {@code [H·W, B·K]}, one column per (sample,
     * keypoint), so the softmax runs down the columns and the expected coordinates are one GEMM with the
     * {@code [H·W, 2]} grid, transposed on the fly. Returns {@code [B, 2K]}, (x, y) per keypoint.
     */
    SDVariable spatialSoftmax(SDVariable x, long pixels, long keypoints, SDVariable grid) {
        SDVariable p = sd.nn.softmax(sd.reshape(x, pixels, -1), 0);
        return sd.reshape(sd.mmul(p, grid, true, false, false), -1, 2 * keypoints);   // [B·K, 2]
    }
}
