package org.steppolicy.models;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sequence ops of {@link SameDiffBuilder} on time-major activations: a logical {@code [B, C, L]} value is held as
 * {@code [L, B, C]}, i.e. a contiguous {@code [L·B, C]} matrix. In that layout every op of a U-Net block is a 2-D GEMM
 * or a same-shape element-wise op on contiguous arrays:
 * <ul>
 *   <li>a convolution is im2col by slicing along the leading (time) axis plus one GEMM {@code [L·B, k·Cin] × [k·Cin, Cout]};</li>
 *   <li>broadcasts over time (FiLM, GroupNorm statistics) are rank-1 GEMMs with a ones column {@code [L, 1]};</li>
 *   <li>per-group sums and their broadcast back to channels are GEMMs with a constant group indicator.</li>
 * </ul>
 * Why (docs/performance.md, "Training step (SameDiff)"): ND4J's conv1d backward (conv2d_bp) spends most of its time
 * in element-by-element strided copies inside its tensorDot, and the backward of a broadcast multiply tiles the small
 * operand element by element; both were over half of the DP training step. All GEMMs backpropagate as GEMMs.
 */
final class TimeMajorOps {

    private final SameDiff sd;
    private final DataType dtype;
    private final Map<String, SDVariable> constants = new HashMap<>();

    TimeMajorOps(SameDiff sd, DataType dtype) {
        this.sd = sd;
        this.dtype = dtype;
    }

    /** Logical {@code [B, C, L]} (channels-first) to time-major {@code [L, B, C]}. */
    SDVariable fromChannelsFirst(SDVariable x) {
        return sd.permute(x, 2, 0, 1);
    }

    /** Time-major {@code [L, B, C]} back to channels-first {@code [B, C, L]}. */
    SDVariable toChannelsFirst(SDVariable x) {
        return sd.permute(x, 1, 2, 0);
    }

    /**
     * Conv1d (PyTorch semantics, zero padding) of time-major x {@code [L, B, Cin]} with weight {@code [k, Cin, Cout]}:
     * the k shifted (and strided) time windows of the padded input side by side form {@code [Lout, B, k·Cin]}, whose
     * product with the weight seen as {@code [k·Cin, Cout]} is the output. Returns {@code [Lout, B, Cout]}.
     */
    SDVariable conv1d(SDVariable x, long length, long cin, SDVariable weight, long k, long cout, SDVariable bias,
                      int stride, int padding) {
        long lout = (length + 2L * padding - k) / stride + 1;
        SDVariable cols;
        if (k == 1 && stride == 1 && padding == 0) {
            cols = x;
        } else {
            SDVariable xp = padding == 0 ? x
                    : sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{padding, padding}, {0, 0}, {0, 0}})), 0.0);
            List<SDVariable> windows = new ArrayList<>();
            for (long j = 0; j < k; j++) {
                long end = j + (lout - 1) * stride + 1;
                SDIndex time = stride == 1 ? SDIndex.interval(j, end) : SDIndex.interval(j, (long) stride, end);
                windows.add(xp.get(time, SDIndex.all(), SDIndex.all()));
            }
            cols = k == 1 ? windows.get(0) : sd.concat(2, windows.toArray(new SDVariable[0]));
        }
        SDVariable y = sd.nn.linear(sd.reshape(cols, -1, k * cin), sd.reshape(weight, k * cin, cout), bias);
        return sd.reshape(y, lout, -1, cout);
    }

    /**
     * ConvTranspose1d (PyTorch semantics) of time-major x {@code [L, B, Cin]} with weight {@code [1, k, Cout, Cin]}, as
     * one GEMM: output position o = s·t + r (phase r) collects x[t + d]·W_k for k = r + p − s·d. The windows x[t + d]
     * of the zero-padded input for every offset d side by side form {@code [Lq, B, |D|·Cin]}; the weight becomes a block
     * matrix {@code [|D|·Cin, s·Cout]} (block (d, r) = W_k transposed, or zero where no tap k exists), so the product
     * holds all s phases of each output step {@code [Lq·B, s·Cout]}, which one permute interleaves to
     * {@code [s·Lq, B, Cout]}. Replaces deconv2d and the four permutes around it (docs/performance.md, third pass).
     * Needs the output length to be a multiple of the stride (U-Net upsampling: k 4, s 2, p 1 doubles the length).
     */
    SDVariable convTranspose1d(SDVariable x, long length, long cin, SDVariable weight, long k, long cout, SDVariable bias,
                               int stride, int padding) {
        long lout = (length - 1) * stride - 2L * padding + k;
        if (lout % stride != 0) throw new IllegalArgumentException("time-major convTranspose1d needs length out "
                + lout + " divisible by the stride " + stride);
        long lq = lout / stride;
        // offsets d = (r + p - kk) / s over all phases r and taps kk with r + p - kk divisible by s
        long dMin = Long.MAX_VALUE, dMax = Long.MIN_VALUE;
        for (long r = 0; r < stride; r++) {
            for (long kk = 0; kk < k; kk++) {
                if (Math.floorMod(r + padding - kk, stride) != 0) continue;
                long d = Math.floorDiv(r + padding - kk, stride);
                dMin = Math.min(dMin, d);
                dMax = Math.max(dMax, d);
            }
        }
        long padLeft = Math.max(0, -dMin), padRight = Math.max(0, lq - 1 + dMax - (length - 1));
        SDVariable xp = padLeft == 0 && padRight == 0 ? x
                : sd.nn.pad(x, sd.constant(Nd4j.createFromArray(new int[][] {{(int) padLeft, (int) padRight}, {0, 0}, {0, 0}})), 0.0);
        SDVariable wk = sd.permute(sd.reshape(weight, k, cout, cin), 0, 2, 1);                     // [k, Cin, Cout]
        SDVariable zero = sd.constant(Nd4j.zeros(dtype, cin, cout));
        List<SDVariable> windows = new ArrayList<>(), rows = new ArrayList<>();
        for (long d = dMin; d <= dMax; d++) {
            long from = d + padLeft;
            windows.add(xp.get(SDIndex.interval(from, from + lq), SDIndex.all(), SDIndex.all()));
            List<SDVariable> blocks = new ArrayList<>();
            for (long r = 0; r < stride; r++) {
                long kk = r + padding - (long) stride * d;
                blocks.add(kk >= 0 && kk < k ? wk.get(SDIndex.point(kk), SDIndex.all(), SDIndex.all()) : zero);
            }
            rows.add(sd.concat(1, blocks.toArray(new SDVariable[0])));                                 // [Cin, s·Cout]
        }
        long taps = dMax - dMin + 1;
        SDVariable cols = taps == 1 ? windows.get(0) : sd.concat(2, windows.toArray(new SDVariable[0]));
        SDVariable w = taps == 1 ? rows.get(0) : sd.concat(0, rows.toArray(new SDVariable[0]));       // [|D|·Cin, s·Cout]
        SDVariable[] biases = new SDVariable[stride];
        java.util.Arrays.fill(biases, bias);
        SDVariable y = sd.nn.linear(sd.reshape(cols, -1, taps * cin), w, stride == 1 ? bias : sd.concat(0, biases));
        SDVariable phases = sd.permute(sd.reshape(y, lq, -1, stride, cout), 0, 2, 1, 3);             // [Lq, s, B, Cout]
        return sd.reshape(phases, lout, -1, cout);
    }

    /**
     * GroupNorm of time-major x {@code [L, B, C]}: statistics per (sample, group) over time and the group's channels,
     * biased variance, eps inside the root; gamma, beta {@code [C]}.
     */
    SDVariable groupNorm(SDVariable x, long length, long channels, int groups, SDVariable gamma, SDVariable beta, double eps) {
        return groupNorm(sd.reshape(x, -1, channels), length, channels, groups, gamma, beta, eps, length, -1, channels);
    }

    /**
     * The same on the matrix x2 {@code [L·B, C]} (pixel-major images are one with L = H·W), returned reshaped to
     * {@code outShape}, or as it is when that is {@code [-1, C]}.
     */
    SDVariable groupNorm(SDVariable x2, long length, long channels, int groups, SDVariable gamma, SDVariable beta, double eps,
                         long... outShape) {
        SDVariable toGroups = groupMean(channels, groups, length);                          // [C, G], 1/(L·cg) on membership
        SDVariable fromGroups = groupIndicator(channels, groups);                           // [G, C]
        SDVariable mean = sumOverTime(sd.mmul(x2, toGroups), length);                      // [1, B·G]
        SDVariable centred = x2.sub(sd.mmul(overTime(mean, length, groups), fromGroups));   // [L·B, C]
        // c⊙c rather than square(c): square's backward is libnd4j's pow derivative (powf per element)
        SDVariable var = sumOverTime(sd.mmul(centred.mul(centred), toGroups), length);    // [1, B·G]
        SDVariable gammaByGroup = fromGroups.mul(sd.reshape(gamma, 1, channels));          // [G, C]
        SDVariable scale = sd.mmul(overTime(sd.math.rsqrt(var.add(eps)), length, groups), gammaByGroup);
        SDVariable y = centred.mul(scale).add(beta);
        return outShape.length == 2 && outShape[0] == -1 && outShape[1] == channels ? y : sd.reshape(y, outShape);
    }

    /** FiLM on time-major h {@code [L, B, C]} with scaleBias {@code [B, 2C]}: scale·h + bias, both broadcast over time. */
    SDVariable film(SDVariable h, long length, long channels, SDVariable scaleBias) {
        SDVariable e = sd.reshape(scaleBias, -1, 2, channels);
        SDVariable scale = sd.reshape(e.get(SDIndex.all(), SDIndex.point(0), SDIndex.all()), 1, -1);   // [1, B·C]
        SDVariable bias = sd.reshape(e.get(SDIndex.all(), SDIndex.point(1), SDIndex.all()), 1, -1);
        SDVariable ones = onesColumn(length);
        SDVariable h2 = sd.reshape(h, length, -1);                                                       // [L, B·C]
        SDVariable y = h2.mul(sd.mmul(ones, scale)).add(sd.mmul(ones, bias));
        return sd.reshape(y, length, -1, channels);
    }

    /** Rows {@code [L·B, G]} summed over time: {@code [1, B·G]} (a GEMM with a ones row). */
    private SDVariable sumOverTime(SDVariable rows, long length) {
        return sd.mmul(onesRow(length), sd.reshape(rows, length, -1));
    }

    /** {@code [1, B·G]} repeated over time as rows {@code [L·B, G]} (a rank-1 GEMM). */
    private SDVariable overTime(SDVariable perGroup, long length, int groups) {
        return sd.reshape(sd.mmul(onesColumn(length), perGroup), -1, groups);
    }

    private SDVariable onesColumn(long length) {
        return constants.computeIfAbsent("ones_col_" + length, n -> sd.constant(n, Nd4j.ones(dtype, length, 1)));
    }

    private SDVariable onesRow(long length) {
        return constants.computeIfAbsent("ones_row_" + length, n -> sd.constant(n, Nd4j.ones(dtype, 1, length)));
    }

    private SDVariable groupMean(long channels, int groups, long length) {
        return constants.computeIfAbsent("group_mean_" + channels + "_" + groups + "_" + length, n -> {
            long cg = channels / groups;
            INDArray m = Nd4j.zeros(dtype, channels, groups);
            for (long c = 0; c < channels; c++) m.putScalar(c, c / cg, 1.0 / (length * cg));
            return sd.constant(n, m);
        });
    }

    private SDVariable groupIndicator(long channels, int groups) {
        return constants.computeIfAbsent("group_indicator_" + channels + "_" + groups, n -> {
            long cg = channels / groups;
            INDArray m = Nd4j.zeros(dtype, groups, channels);
            for (long c = 0; c < channels; c++) m.putScalar(c / cg, c, 1.0);
            return sd.constant(n, m);
        });
    }
}
